import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { databaseTargetOf, POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_SESSION_OPTIONS } from "../config/database.mjs";
import { PrismaClient } from "../generated/prisma/client.ts";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-postgresql/client.ts";

/**
 * Prisma's client for the models. Its type is the SQLite client's: the PostgreSQL client is
 * generated from a schema with the same models (tests/unit/prisma-schemas.test.ts proves it), so
 * the two answer every query the app makes with the same shapes.
 */
export type Database = PrismaClient;
/** A direct better-sqlite3 connection, for the statements on every request's path. */
export type Sqlite = BetterSqlite3.Database;
/** A node-postgres pool, for the statements on every request's path under PostgreSQL. */
export type PostgresPool = pg.Pool;

/**
 * Opens Prisma's client on DATABASE_URL. Under SQLite it tunes the connection once:
 * WAL lets readers run beside the writer, NORMAL sync is durable enough under WAL,
 * and busy_timeout makes concurrent writers wait instead of failing.
 */
export async function openDatabase(url: string, { autoCheckpoint = true } = {}): Promise<Database> {
  if (databaseTargetOf(url).kind === "postgresql") {
    const adapter = new PrismaPg({
      connectionString: url,
      options: POSTGRES_SESSION_OPTIONS,
      connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    });
    return new PostgresPrismaClient({ adapter }) as unknown as Database;
  }
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  if (!autoCheckpoint) await prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  return prisma;
}

/**
 * Opens a direct connection with the same tuning. Its busy timeout is short by default: a
 * better-sqlite3 call waits synchronously, stalling every request, so callers that may meet
 * another process's write lock retry on a timer instead (see DbSessionStore). The page cache
 * is an upper bound, filled only as pages are read. `autoCheckpoint: false` is for the server,
 * whose checkpoints run in a worker thread (lib/db/checkpointer.ts).
 */
export function openSqlite(url: string, { busyTimeoutMs = 5, cacheMiB = 16, autoCheckpoint = true } = {}): Sqlite {
  const target = databaseTargetOf(url);
  if (target.kind !== "sqlite") throw new Error(`not a SQLite URL: ${url}`);
  const db = new BetterSqlite3(target.file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma("foreign_keys = ON");
  db.pragma(`cache_size = -${cacheMiB * 1024}`);
  // Off only where lib/db/checkpointer.ts checkpoints instead.
  if (!autoCheckpoint) db.pragma("wal_autocheckpoint = 0");
  return db;
}

const TIMESTAMP_OIDS = new Set([pg.types.builtins.TIMESTAMP, pg.types.builtins.TIMESTAMPTZ]);

/**
 * Opens a pool of at most `max` connections. Prisma writes DateTime columns as `timestamp(3)` in
 * UTC, with no zone; node-postgres would read them in this machine's zone, so timestamps come back
 * as ISO text in UTC instead, as the stores expect. A connection that fails while idle (the server
 * restarted) is logged and replaced, rather than crashing the process as an unheard 'error' would.
 */
export function openPostgresPool(url: string, { max = 10, log = console.warn } = {}): PostgresPool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    options: POSTGRES_SESSION_OPTIONS,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        TIMESTAMP_OIDS.has(oid) && format !== "binary"
          ? utcIso
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on("error", (error) => log(`[sesame] PostgreSQL: ${error.message}`));
  return pool;
}

/** "2026-12-03 06:17:24.865" (UTC, no zone) or "…+01" / "…-03:30" → "2026-12-03T06:17:24.865Z". */
function utcIso(text: string): string {
  const iso = text.replace(" ", "T");
  const zoned = /[+-]\d\d$/.test(iso) ? `${iso}:00` : /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`;
  return new Date(zoned).toISOString();
}
