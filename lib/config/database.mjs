// DATABASE_URL, the one setting that decides where everything that lasts is kept. Plain JavaScript,
// because the install script and `npm run db:migrate` read it without a TypeScript step.
import { z } from "zod";
import { parseEnv } from "./parse.mjs";

export const DEFAULT_DATABASE_URL = "file:./prisma/sesame.db";

/**
 * @typedef {{ kind: "sqlite", url: string, file: string } | { kind: "postgresql", url: string }} DatabaseTarget
 * The database DATABASE_URL names: an embedded SQLite file (the default) or a PostgreSQL server.
 */

export const databaseUrlSchema = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .refine((url) => /^file:.+/.test(url) || isPostgresUrl(url), {
    message:
      'must be a SQLite file URL such as "file:./prisma/sesame.db" or a PostgreSQL URL such as "postgresql://user:password@host:5432/sesame"',
  });

/**
 * postgresql://user:password@host:5432/db, or postgresql:///db for the local socket, as node-postgres reads them.
 * @param {string} url
 */
function isPostgresUrl(url) {
  if (!/^postgres(ql)?:\/\/./.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {string} url a DATABASE_URL that databaseUrlSchema accepted
 * @returns {DatabaseTarget}
 */
export function databaseTargetOf(url) {
  return url.startsWith("file:")
    ? { kind: "sqlite", url, file: url.slice("file:".length) }
    : { kind: "postgresql", url };
}

/**
 * How long to wait for PostgreSQL to accept a connection before calling it unreachable: without a
 * bound, a host that drops packets silently would hold requests for the operating system's TCP
 * timeout, minutes.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Every connection Sesame opens to PostgreSQL works in UTC: Prisma's DateTime columns are
 * `timestamp(3)`, with no zone, and `DEFAULT CURRENT_TIMESTAMP` would otherwise store the server's
 * local time. A URL that sets its own `options` keeps them.
 */
export const POSTGRES_SESSION_OPTIONS = "-c TimeZone=UTC";

/** Its name as the pages show it, beside the session engine. */
export const DATABASE_NAMES = /** @type {const} */ ({ sqlite: "SQLite", postgresql: "PostgreSQL" });

/**
 * DATABASE_URL alone, for the tools that migrate or inspect the database without needing the rest
 * of the settings, such as the secret. Throws a ConfigError when it is invalid.
 * @param {Record<string, string | undefined>} env
 * @returns {DatabaseTarget}
 */
export function readDatabaseTarget(env) {
  return databaseTargetOf(parseEnv(z.object({ DATABASE_URL: databaseUrlSchema }), env).DATABASE_URL);
}
