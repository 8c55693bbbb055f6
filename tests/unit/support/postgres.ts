import { afterAll } from "vitest";
import { openDatabase, openPostgresPool, type Database, type PostgresPool } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations.mjs";
import { startPostgres, type ThrowawayPostgres } from "@/scripts/throwaway-postgres.mjs";

export interface PostgresTestDatabase {
  url: string;
  /** Prisma's client, for the queries the app makes through Prisma. */
  db: Database;
  /** The app's own pool, as the session store and the limits use it. */
  pool: PostgresPool;
  /** Empties every table, for the next test. */
  truncate(): Promise<void>;
}

let server: Promise<ThrowawayPostgres> | undefined;
let databases = 0;
const opened: PostgresTestDatabase[] = [];

/**
 * A migrated database on a real PostgreSQL that this test file starts on first use and stops
 * when the file ends. Each call creates another database on it, so suites in one file never meet.
 */
export async function createPostgresTestDatabase(): Promise<PostgresTestDatabase> {
  server ??= startPostgres();
  const postgres = await server;
  databases += 1;
  const url = await postgres.createDatabase(`sesame_test_${databases}`);
  await applyMigrations({ kind: "postgresql", url }, () => undefined);
  const pool = openPostgresPool(url, { max: 20 });
  const db = await openDatabase(url);
  const test: PostgresTestDatabase = {
    url,
    db,
    pool,
    async truncate() {
      await pool.query(`TRUNCATE "Session", "SessionTombstone", "User", "RateLimit"`);
    },
  };
  opened.push(test);
  return test;
}

afterAll(async () => {
  await Promise.all(opened.map(async ({ db, pool }) => Promise.all([db.$disconnect(), pool.end()])));
  opened.length = 0;
  (await server)?.stop();
  server = undefined;
});
