import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * SQLite checkpoints a WAL database on the connection whose commit crosses a thousand pages, and
 * better-sqlite3 runs that synchronously: one unlucky request pays for copying everything other
 * processes wrote (80 MB a second while `npm run sessions:clear` deletes a million rows). The
 * server's connections therefore open with automatic checkpoints off, and this worker thread
 * checkpoints on a timer instead. Returns a function that stops it.
 */
export function startCheckpointer(
  file: string,
  everyMs = 1000,
  log: (message: string) => void = console.warn,
): () => Promise<number> {
  // Resolved from the project folder: the worker is plain ESM that bundlers must not rewrite.
  const worker = new Worker(path.join(process.cwd(), "lib", "db", "checkpoint-worker.mjs"), {
    workerData: { file, everyMs },
  });
  worker.unref();
  worker.on("message", (message: string) => log(`[sesame] a WAL checkpoint failed: ${message}`));
  worker.on("error", (error) => log(`[sesame] the WAL checkpointer stopped: ${error.message}`));
  return () => worker.terminate();
}
