import { getServices } from "./services";
import { assertEngineSettings } from "./session/backends";
import { scheduleClearExpired } from "./session/clear-expired";
import { getSettings } from "./config/env";
import { orExit } from "./config/parse.mjs";
import { MigrationError, pendingMigrations, pendingMigrationsMessage } from "./db/migrations.mjs";

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

/**
 * A database that lacks a migration stops the server at start, with the command that fixes it:
 * otherwise the first request would fail on a missing table or column. The server never migrates by
 * itself, since a shared PostgreSQL is migrated once, on purpose, by `npm run db:migrate`. A database
 * that cannot be reached stops it too, with a line that names it.
 */
export async function checkMigrationsOrExit(): Promise<void> {
  let pending: string[];
  try {
    pending = await pendingMigrations(getSettings().database);
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    console.error(`\nSesame cannot start: ${error.message}\n`);
    process.exit(1);
  }
  if (pending.length > 0) {
    console.error(`\n${pendingMigrationsMessage(pending)}, then start Sesame again.\n`);
    process.exit(1);
  }
}

/** Background work for a running server: the cleanup of expired sessions, hourly by default. */
export function startHousekeeping(): void {
  const { clearIntervalSeconds } = getSettings();
  if (clearIntervalSeconds > 0)
    scheduleClearExpired(async () => (await getServices()).engine.store, console.log, clearIntervalSeconds * 1000);
}
