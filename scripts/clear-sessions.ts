// `npm run sessions:clear`: Django's `clearsessions`. Deletes expired sessions in batches
// (so a running server keeps answering between them) and prints how many it removed.
import nextEnv from "@next/env";
import { getSettings } from "../lib/config/env";
import { openSqlite } from "../lib/db/client";
import { DbSessionStore } from "../lib/session/backends/db";

nextEnv.loadEnvConfig(process.cwd());

async function main(): Promise<void> {
  // A large page cache: deleting a million rows revisits the same index pages batch after batch.
  const db = openSqlite(getSettings().databaseUrl, { cacheMiB: 128 });
  const started = performance.now();
  const removed = await new DbSessionStore(db).clearExpired(new Date(), { checkpointEveryMs: 1000 });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Removed ${removed} expired session${removed === 1 ? "" : "s"} in ${seconds} s.`);
  db.close();
}

main().catch((error: unknown) => {
  console.error(`sessions:clear failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
