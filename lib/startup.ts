import { getServices } from "./services";
import { assertEngineSettings } from "./session/backends";
import { scheduleClearExpired } from "./session/clear-expired";
import { getSettings } from "./config/env";
import { orExit } from "./config/parse.mjs";

/**
 * A bad or missing configuration stops the server at start, with a message naming each
 * variable, rather than failing on the first request. There is no built-in fallback secret.
 * So does a session folder (SESSION_ENGINE=file) that is not private to this user.
 */
export function checkConfigurationOrExit(): void {
  orExit(() => {
    const settings = getSettings();
    assertEngineSettings(settings);
  });
}

/** Background work for a running server: the cleanup of expired sessions, hourly by default. */
export function startHousekeeping(): void {
  const { clearIntervalSeconds } = getSettings();
  if (clearIntervalSeconds > 0)
    scheduleClearExpired(async () => (await getServices()).engine.store, console.log, clearIntervalSeconds * 1000);
}
