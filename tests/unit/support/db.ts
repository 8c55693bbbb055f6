import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase, type Database as PrismaDatabase } from "@/lib/db/client";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../../prisma/migrations");

export interface TestDatabase {
  db: PrismaDatabase;
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
 * `openDatabase`. Each call gets its own directory under the OS temp dir; `cleanup` removes it.
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
  return {
    db,
    file,
    async cleanup() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
