import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Database = PrismaClient;

/**
 * Opens a Prisma client over better-sqlite3 and tunes SQLite once per connection:
 * WAL lets readers run beside the writer, NORMAL sync is durable enough under WAL,
 * and busy_timeout makes concurrent writers wait instead of failing.
 */
export async function openDatabase(url: string): Promise<Database> {
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  return prisma;
}

/** The file behind a `file:` URL, for the connections that bypass Prisma. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}
