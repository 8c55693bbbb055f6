// `npm run sessions:clear`: Django's `clearsessions`, for the configured SESSION_ENGINE. Under db
// and cached_db it deletes expired rows in batches (so a running server keeps answering between
// them); under file, expired session files and end reasons. It prints how many sessions it removed.
import nextEnv from "@next/env";
import { getSettings } from "../lib/config/env";
import { startCheckpointer } from "../lib/db/checkpointer";
import { openPostgresPool, openSqlite, type PostgresPool, type Sqlite } from "../lib/db/client";
import { createSessionEngine, type SessionDatabase } from "../lib/session/backends";
import { ENGINE_CATALOGUE } from "../lib/session/engine-catalogue";
import { sessionCookieName } from "../lib/session/session-cookie";

nextEnv.loadEnvConfig(process.cwd());

async function main(): Promise<void> {
  const settings = getSettings();
  const engineName = settings.sessionEngine;
  const { selfExpiry } = ENGINE_CATALOGUE[engineName];
  if (selfExpiry) {
    console.log(`SESSION_ENGINE=${engineName}: nothing to clear. ${selfExpiry}`);
    return;
  }
  // A large page cache: deleting a million rows revisits the same index pages batch after batch.
  // Checkpoints run once a second in a worker thread, as in the server, rather than after every
  // batch: each rewritten page is then copied back once, not once per batch.
  let db: Sqlite | undefined;
  let pool: PostgresPool | undefined;
  let stopCheckpointer = async (): Promise<number> => 0;
  const { database: target } = settings;
  const database: SessionDatabase =
    target.kind === "postgresql"
      ? { kind: "postgresql", pool: (pool = openPostgresPool(target.url, { max: 2 })) }
      : {
          kind: "sqlite",
          open: () => {
            db = openSqlite(target.url, { cacheMiB: 128, autoCheckpoint: false });
            stopCheckpointer = startCheckpointer(target.file);
            return db;
          },
        };
  // cached_db's cache needs no clearing (Redis entries carry the session's TTL, the in-process LRU
  // dies with this process), so Redis is not contacted: the database is what gets cleared.
  const engine = await createSessionEngine(
    { ...settings, redisUrl: null },
    database,
    sessionCookieName(settings.secureCookies),
  );
  try {
    const started = performance.now();
    const removed = await engine.store.clearExpired(new Date());
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(
      `Removed ${removed} expired session${removed === 1 ? "" : "s"} from ${engine.storedIn} in ${seconds} s.`,
    );
  } finally {
    await engine.close();
    db?.close();
    await pool?.end();
    await stopCheckpointer();
  }
}

main().catch((error: unknown) => {
  console.error(`sessions:clear failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
