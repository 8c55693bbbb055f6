// Runs in a worker thread: copies the write-ahead log back into the database file on a timer, so
// no request ever waits for a checkpoint. See lib/db/checkpointer.ts.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
setInterval(() => {
  try {
    // PASSIVE never waits for readers or writers: it copies what it can and tries again next time.
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort?.postMessage(error instanceof Error ? error.message : String(error));
  }
}, workerData.everyMs);
