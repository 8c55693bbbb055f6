// Which migrations a database still lacks, and applying them. Plain JavaScript, because the install
// script and `npm run db:migrate` use it without a TypeScript step; the server's start-up check
// (lib/startup.ts) and the end-to-end set-up import it too.
//
// Prisma's own `_prisma_migrations` table is the record on both databases, so `prisma migrate status`,
// `prisma studio` and /status read what this module writes. SQLite is migrated by `prisma migrate
// deploy`. PostgreSQL cannot be: through @prisma/adapter-pg it fails with "Column type 'name' could
// not be deserialized from the database" (prisma/orm#27403), so PostgreSQL has the small runner below,
// which writes the rows as Prisma's schema engine does.
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_SESSION_OPTIONS } from "../config/database.mjs";
import { childEnv } from "../config/tooling.mjs";

/** @typedef {import("../config/database.mjs").DatabaseTarget} DatabaseTarget */

/**
 * @typedef {object} Migration
 * @property {string} name Its folder's name, which starts with a timestamp: the order they apply in.
 * @property {string} file Its migration.sql.
 * @property {string} script The file's text, as Prisma reads and checksums it.
 */

/**
 * @typedef {object} MigrationRow A row of `_prisma_migrations`, as far as this module reads it.
 * @property {string} migration_name
 * @property {string} checksum
 * @property {unknown} finished_at
 * @property {unknown} rolled_back_at
 */

/** The key of the advisory lock Prisma's schema engine holds while it migrates PostgreSQL. */
export const PRISMA_MIGRATE_LOCK_ID = 72707369;

/** How long a run waits for another to finish migrating. */
const LOCK_WAIT_MS = 60_000;

/** A database that cannot be migrated as it is. Its message says why and what to do, in a line or two. */
export class MigrationError extends Error {
  name = "MigrationError";
}

/** The database named by DATABASE_URL cannot be reached, or refuses the connection. */
export class DatabaseUnreachableError extends MigrationError {
  name = "DatabaseUnreachableError";
}

/**
 * The migrations folder of a kind of database. Resolved from the working directory rather than from
 * this file: Next.js bundles this module into the server, where import.meta.dirname is the bundle's
 * folder. Sesame always runs from the project root (`npm start`, `npm run …`, the tests).
 * @param {DatabaseTarget["kind"]} kind
 * @returns {string}
 */
export function migrationsFolder(kind) {
  return kind === "postgresql"
    ? path.join(process.cwd(), "prisma", "postgresql", "migrations")
    : path.join(process.cwd(), "prisma", "migrations");
}

/**
 * Every migration of a kind of database, in the order Prisma applies them: each folder that holds a
 * migration.sql, sorted by name.
 * @param {DatabaseTarget["kind"]} kind
 * @returns {Migration[]}
 */
export function readMigrations(kind) {
  // The ignore comments keep Next.js's file tracing from following these paths, which only exist at
  // run time, into the whole project (as in lib/session/backends/file.ts).
  const folder = migrationsFolder(kind);
  if (!existsSync(/*turbopackIgnore: true*/ folder))
    throw new MigrationError(
      `the migrations folder ${folder} is missing: run Sesame from its project folder, where npm puts it.`,
    );
  return readdirSync(/*turbopackIgnore: true*/ folder, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(path.join(/*turbopackIgnore: true*/ folder, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(/*turbopackIgnore: true*/ folder, name, "migration.sql");
      return { name, file, script: readFileSync(file, "utf8") };
    });
}

/**
 * The checksum Prisma records for a migration: the hex SHA-256 of its script.
 * @param {string} script
 * @returns {string}
 */
export function migrationChecksum(script) {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/**
 * Whether a recorded checksum matches a script, as Prisma's schema engine decides it
 * (schema-connector/src/checksum.rs): either line ending matches, since git may convert them, and a
 * checksum shorter than 64 characters is in the format of old Prisma versions, which dropped each
 * byte's leading zero.
 * @param {string} script
 * @param {string} checksum
 * @returns {boolean}
 */
function checksumMatches(script, checksum) {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant, "utf8").digest();
    const text =
      checksum.length === 64 || checksum === ""
        ? digest.toString("hex")
        : [...digest].map((byte) => byte.toString(16)).join("");
    return text === checksum;
  });
}

/**
 * Where a PostgreSQL URL points, for messages: host:port and the database, never the password.
 * @param {string} url
 * @returns {string}
 */
export function describePostgres(url) {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get("host") || parsed.hostname || "localhost";
    const where = host.startsWith("/") ? `the socket in ${host}` : `${host}:${parsed.port || "5432"}`;
    const database = decodeURIComponent(parsed.pathname.slice(1));
    return database ? `${where} (database "${database}")` : where;
  } catch {
    return "the DATABASE_URL given";
  }
}

/**
 * Opens a connection to PostgreSQL. Failing to, it throws a DatabaseUnreachableError that names the
 * server and the reason, in place of the driver's error and its stack.
 * @param {string} url
 * @returns {Promise<pg.Client>}
 */
async function connectPostgres(url) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    options: POSTGRES_SESSION_OPTIONS,
  });
  // A connection lost later is reported by the query that needed it; without a listener, Node.js
  // would end the process on the client's "error" event.
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    // A server that answers and says no (an unknown role or database, a wrong password) has a severity.
    const refused = typeof (/** @type {{ severity?: unknown }} */ (error).severity) === "string";
    throw new DatabaseUnreachableError(
      `PostgreSQL at ${describePostgres(url)} ${refused ? "refused the connection" : "is unreachable"}: ${reasonOf(error)}.`,
    );
  }
}

/**
 * A connection failure in a few words: the driver's message, or its network error code.
 * @param {unknown} error
 * @returns {string}
 */
function reasonOf(error) {
  const { code, message } = /** @type {{ code?: string, message?: string }} */ (error ?? {});
  const known = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "unknown host",
    EAI_AGAIN: "the host name could not be resolved",
    ETIMEDOUT: "the connection timed out",
    EHOSTUNREACH: "no route to host",
    ENETUNREACH: "network unreachable",
    ECONNRESET: "the connection was reset",
  };
  const reason = (code && known[/** @type {keyof typeof known} */ (code)]) || message || String(error);
  // An AggregateError (IPv4 and IPv6 both refused) has an empty message; the first line is enough.
  return (reason.split("\n")[0] ?? reason).replace(/\.$/, "");
}

/**
 * The rows of `_prisma_migrations`, or none when the database or the table does not exist yet.
 * @param {DatabaseTarget} target
 * @returns {Promise<MigrationRow[]>}
 */
async function readMigrationRows(target) {
  if (target.kind === "sqlite") {
    // Read-only, and a missing file is not created: a database that does not exist lacks every migration.
    if (!existsSync(/*turbopackIgnore: true*/ target.file)) return [];
    /** @type {Database.Database | undefined} */
    let db;
    try {
      db = new Database(target.file, { readonly: true, fileMustExist: true });
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'");
      if (!table.get()) return [];
      return /** @type {MigrationRow[]} */ (
        db.prepare("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations").all()
      );
    } catch (error) {
      // Not a database, unreadable, or locked: a line that names the file, not better-sqlite3's stack.
      if (!String(/** @type {{ code?: unknown }} */ (error).code).startsWith("SQLITE_")) throw error;
      throw new DatabaseUnreachableError(`SQLite cannot read ${target.file}: ${reasonOf(error)}.`);
    } finally {
      db?.close();
    }
  }
  const client = await connectPostgres(target.url);
  try {
    return await readPostgresRows(client);
  } catch (error) {
    // Reached, yet unreadable: a missing permission, another schema on the search_path.
    throw new MigrationError(
      `PostgreSQL at ${describePostgres(target.url)} cannot be read (${reasonOf(error)}): check the role in DATABASE_URL.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The rows of `_prisma_migrations` in the connection's schema (its search_path, as the app's queries
 * resolve their tables), or none when the table does not exist.
 * @param {pg.Client} client
 * @returns {Promise<MigrationRow[]>}
 */
async function readPostgresRows(client) {
  const exists = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]?.present) return [];
  const result = await client.query(
    "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
  );
  return result.rows;
}

/**
 * Whether a row records a migration that applied: it finished and was not rolled back since.
 * @param {MigrationRow} row
 * @returns {boolean}
 */
function isApplied(row) {
  return row.finished_at != null && row.rolled_back_at == null;
}

/**
 * The migrations that `rows` does not record as applied, in order.
 * @param {Migration[]} migrations
 * @param {MigrationRow[]} rows
 * @returns {Migration[]}
 */
function pendingOf(migrations, rows) {
  const applied = new Set(rows.filter(isApplied).map((row) => row.migration_name));
  return migrations.filter((migration) => !applied.has(migration.name));
}

/**
 * The names of the migrations the database has not applied yet, according to Prisma's own
 * `_prisma_migrations` table (finished and not rolled back). A database without that table, or a
 * SQLite file that does not exist, lacks them all. Throws a DatabaseUnreachableError when
 * PostgreSQL cannot be reached.
 * @param {DatabaseTarget} target
 * @returns {Promise<string[]>}
 */
export async function pendingMigrations(target) {
  return pendingOf(readMigrations(target.kind), await readMigrationRows(target)).map((migration) => migration.name);
}

/**
 * What to tell whoever starts something on a database that lacks migrations: which, and the command.
 * @param {string[]} names
 * @returns {string}
 */
export function pendingMigrationsMessage(names) {
  return `The database has ${names.length} migration(s) not yet applied (${names.join(", ")}). Run \`npm run db:migrate\``;
}

/**
 * Refuses to go on when a migration that applied was edited afterwards, or when one failed half-way
 * and is still recorded as started: the database and the files no longer tell the same story, and
 * applying more would build on a schema nobody can describe.
 * @param {DatabaseTarget} target
 * @param {Migration[]} migrations
 * @param {MigrationRow[]} rows
 * @returns {void}
 */
function assertConsistent(target, migrations, rows) {
  const folder = path.relative(process.cwd(), migrationsFolder(target.kind));
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of rows) {
    const migration = byName.get(row.migration_name);
    if (row.finished_at == null && row.rolled_back_at == null)
      throw new MigrationError(
        `migration ${row.migration_name} failed when it was last applied and is still recorded as started in ` +
          "_prisma_migrations. Repair the database by hand, then mark the row rolled back (set rolled_back_at) " +
          "or finished (set finished_at) and run `npm run db:migrate` again.",
      );
    if (migration && isApplied(row) && !checksumMatches(migration.script, row.checksum))
      throw new MigrationError(
        `migration ${row.migration_name} was edited after it was applied: ${path.join(folder, row.migration_name, "migration.sql")} ` +
          "no longer matches the checksum recorded in _prisma_migrations. Restore the file as it was applied, " +
          "and put the change in a new migration.",
      );
  }
}

/**
 * Applies every pending migration to the database `target` names and returns their names, in order.
 * `log` hears one line per migration applied. A database already up to date is left untouched.
 *
 * SQLite: `prisma migrate deploy`, as before PostgreSQL support. PostgreSQL: this module's runner,
 * under Prisma's advisory lock so that two servers or two runs never apply at once, each migration in
 * a transaction of its own together with its `_prisma_migrations` row, so a failure leaves neither.
 * Throws a MigrationError (a DatabaseUnreachableError when the server cannot be reached) whose
 * message is meant to be printed as it is.
 * @param {DatabaseTarget} target
 * @param {(line: string) => void} [log]
 * @returns {Promise<string[]>}
 */
export async function applyMigrations(target, log = () => {}) {
  const migrations = readMigrations(target.kind);
  const applied =
    target.kind === "sqlite" ? await applySqlite(target, migrations) : await applyPostgres(target.url, migrations, log);
  if (target.kind === "sqlite") for (const name of applied) log(`Applied ${name}`);
  return applied;
}

/**
 * `prisma migrate deploy` through prisma.config.ts, which picks the SQLite schema, migrations and
 * adapter for this DATABASE_URL. Prisma's deploy does not compare checksums, so this does first.
 * @param {Extract<DatabaseTarget, { kind: "sqlite" }>} target
 * @param {Migration[]} migrations
 * @returns {Promise<string[]>}
 */
async function applySqlite(target, migrations) {
  // Prisma would only say "External error" here.
  const folder = path.dirname(path.resolve(/*turbopackIgnore: true*/ target.file));
  if (!existsSync(/*turbopackIgnore: true*/ folder))
    throw new DatabaseUnreachableError(`SQLite cannot create ${target.file}: the folder ${folder} does not exist.`);
  const rows = await readMigrationRows(target);
  assertConsistent(target, migrations, rows);
  const pending = pendingOf(migrations, rows);
  if (pending.length === 0) return [];
  const prisma = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", ".bin", "prisma");
  try {
    await promisify(execFile)(prisma, ["migrate", "deploy"], {
      cwd: process.cwd(),
      env: childEnv({ DATABASE_URL: target.url }),
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = /** @type {{ stdout?: string, stderr?: string }} */ (error);
    // Prisma's own explanation starts at its "Error:" line; what precedes it is the banner.
    const output = `${stdout}\n${stderr}`;
    const start = output.search(/^Error/m);
    throw new MigrationError(
      `prisma migrate deploy failed on ${target.file}:\n${(start >= 0 ? output.slice(start) : output).trim()}`,
    );
  }
  const after = pendingOf(migrations, await readMigrationRows(target));
  return pending.filter((migration) => !after.includes(migration)).map((migration) => migration.name);
}

/**
 * The PostgreSQL runner. `_prisma_migrations` has exactly the columns Prisma's schema engine creates,
 * so Prisma's tools read the rows this writes, and the other way round.
 * @param {string} url
 * @param {Migration[]} migrations
 * @param {(line: string) => void} log
 * @returns {Promise<string[]>}
 */
async function applyPostgres(url, migrations, log) {
  const client = await connectPostgres(url);
  try {
    await lockPostgres(client);
    await client.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
      id                  VARCHAR(36) PRIMARY KEY NOT NULL,
      checksum            VARCHAR(64) NOT NULL,
      finished_at         TIMESTAMPTZ,
      migration_name      VARCHAR(255) NOT NULL,
      logs                TEXT,
      rolled_back_at      TIMESTAMPTZ,
      started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
      applied_steps_count INTEGER NOT NULL DEFAULT 0
    )`);
    const rows = await readPostgresRows(client);
    assertConsistent({ kind: "postgresql", url }, migrations, rows);
    /** @type {string[]} */
    const applied = [];
    for (const migration of pendingOf(migrations, rows)) {
      await applyOnePostgres(client, migration);
      applied.push(migration.name);
      log(`Applied ${migration.name}`);
    }
    return applied;
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`migrating PostgreSQL at ${describePostgres(url)} failed: ${reasonOf(error)}.`);
  } finally {
    // Ending the connection releases the advisory lock too; unlocking first frees it at once.
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/**
 * Takes Prisma's migration lock. It waits while another run (another server, or Prisma itself) holds
 * it, then sees that run's work; but not for ever, since a run stuck with the lock would otherwise
 * hang every start. The timeout covers only this wait, never the migrations' own statements.
 * @param {pg.Client} client
 * @returns {Promise<void>}
 */
async function lockPostgres(client) {
  await client.query(`SET lock_timeout = ${LOCK_WAIT_MS}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== "55P03") throw error;
    throw new MigrationError(
      `another migration run has held the migration lock (pg_advisory_lock ${PRISMA_MIGRATE_LOCK_ID}) for over ` +
        `${LOCK_WAIT_MS / 1000} seconds. Let it finish, or end the session that holds it (pg_locks), and try again.`,
    );
  } finally {
    await client.query("RESET lock_timeout");
  }
}

/**
 * One migration and its row, in one transaction. The script runs as one simple query, as Prisma
 * sends it, so it may hold many statements. started_at is the transaction's start (now()),
 * finished_at the moment it ends; one script is one step to Prisma.
 * @param {pg.Client} client
 * @param {Migration} migration
 * @returns {Promise<void>}
 */
async function applyOnePostgres(client, migration) {
  await client.query("BEGIN");
  try {
    await client.query(migration.script);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migrationChecksum(migration.script), migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationError(
      `migration ${migration.name} failed, and nothing of it was applied: ${reasonOf(error)}. ` +
        "Fix the database or the migration, then run `npm run db:migrate` again.",
    );
  }
}
