import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import BetterSqlite3 from "better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Database = PrismaClient;
/** A direct better-sqlite3 connection, for the statements on every request's path. */
export type Sqlite = BetterSqlite3.Database;

/**
 * Opens a Prisma client over better-sqlite3 and tunes SQLite once per connection:
 * WAL lets readers run beside the writer, NORMAL sync is durable enough under WAL,
 * and busy_timeout makes concurrent writers wait instead of failing.
 */
export async function openDatabase(url: string, { autoCheckpoint = true } = {}): Promise<Database> {
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  if (!autoCheckpoint) await prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  return prisma;
}

/** The file behind a `file:` URL, for the connections that bypass Prisma. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}

/**
 * Opens a direct connection with the same tuning. Its busy timeout is short by default: a
 * better-sqlite3 call waits synchronously, stalling every request, so callers that may meet
 * another process's write lock retry on a timer instead (see DbSessionStore). The page cache
 * is an upper bound, filled only as pages are read. `autoCheckpoint: false` is for the server,
 * whose checkpoints run in a worker thread (lib/db/checkpointer.ts).
 */
export function openSqlite(url: string, { busyTimeoutMs = 5, cacheMiB = 16, autoCheckpoint = true } = {}): Sqlite {
  const db = new BetterSqlite3(sqlitePath(url));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma("foreign_keys = ON");
  db.pragma(`cache_size = -${cacheMiB * 1024}`);
  // Off only where lib/db/checkpointer.ts checkpoints instead.
  if (!autoCheckpoint) db.pragma("wal_autocheckpoint = 0");
  return db;
}
