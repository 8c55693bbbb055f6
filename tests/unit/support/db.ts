import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase, openSqlite, type Database as PrismaDatabase, type Sqlite } from "@/lib/db/client";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../../prisma/migrations");

export interface TestDatabase {
  db: PrismaDatabase;
  /** A direct connection to the same file, as the app's session store uses. */
  sqlite: Sqlite;
  /** The SQLite file behind `db`. */
  file: string;
  cleanup: () => Promise<void>;
}

/** The migration files in the order Prisma applies them (directory names start with a timestamp). */
function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(MIGRATIONS_DIR, name, "migration.sql"));
}

/**
 * A throwaway SQLite database with every migration applied, opened through the app's own
 * `openDatabase` and `openSqlite`. Each call gets its own directory under the OS temp dir; `cleanup` removes it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sesame-unit-"));
  const file = path.join(dir, "test.db");
  const raw = new Database(file);
  try {
    for (const migration of migrationFiles()) raw.exec(readFileSync(migration, "utf8"));
  } finally {
    raw.close();
  }
  const db = await openDatabase(`file:${file}`);
  const sqlite = openSqlite(`file:${file}`);
  return {
    db,
    sqlite,
    file,
    async cleanup() {
      await db.$disconnect();
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
