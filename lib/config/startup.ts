import { getServices } from "../services";
import { assertEngineSettings } from "../session/backends";
import { scheduleClearExpired } from "../session/clear-expired";
import { ConfigError, getSettings } from "./env";

/**
 * A bad or missing configuration stops the server at start, with a message naming each
 * variable, rather than failing on the first request. There is no built-in fallback secret.
 * So does a session folder (SESSION_ENGINE=file) that is not private to this user.
 */
export function checkConfigurationOrExit(): void {
  try {
    const settings = getSettings();
    assertEngineSettings(settings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}

/** Background work for a running server: the cleanup of expired sessions, hourly by default. */
export function startHousekeeping(): void {
  const { clearIntervalSeconds } = getSettings();
  if (clearIntervalSeconds > 0) scheduleClearExpired(async () => (await getServices()).engine.store, console.log, clearIntervalSeconds * 1000);
}
