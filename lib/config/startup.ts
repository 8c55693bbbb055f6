import { getRuntime } from "../runtime";
import { scheduleClearExpired } from "../session/housekeeping";
import { ConfigError, getSettings } from "./env";

/**
 * A bad or missing configuration stops the server at start, with a message naming each
 * variable, rather than failing on the first request. There is no built-in fallback secret.
 */
export function checkConfigurationOrExit(): void {
  try {
    getSettings();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}

/** Background work for a running server: the hourly cleanup of expired sessions. */
export function startHousekeeping(): void {
  scheduleClearExpired(async () => (await getRuntime()).store);
}
