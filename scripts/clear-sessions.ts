// `npm run sessions:clear`: Django's `clearsessions`. Deletes expired sessions in batches
// (so a running server keeps answering between them) and prints how many it removed.
import nextEnv from "@next/env";
import { getSettings } from "../lib/config/env";
import { startCheckpointer } from "../lib/db/checkpointer";
import { openSqlite, sqlitePath } from "../lib/db/client";
import { DbSessionStore } from "../lib/session/backends/db";

nextEnv.loadEnvConfig(process.cwd());

async function main(): Promise<void> {
  // A large page cache: deleting a million rows revisits the same index pages batch after batch.
  // Checkpoints run once a second in a worker thread, as in the server, rather than after every
  // batch: each rewritten page is then copied back once, not once per batch.
  const url = getSettings().databaseUrl;
  const db = openSqlite(url, { cacheMiB: 128, autoCheckpoint: false });
  const stopCheckpointer = startCheckpointer(sqlitePath(url));
  const started = performance.now();
  const removed = await new DbSessionStore(db).clearExpired(new Date());
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Removed ${removed} expired session${removed === 1 ? "" : "s"} in ${seconds} s.`);
  db.close();
  await stopCheckpointer();
}

main().catch((error: unknown) => {
  console.error(`sessions:clear failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
