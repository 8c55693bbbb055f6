import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { startCheckpointer } from "@/lib/db/checkpointer";
import { openSqlite } from "@/lib/db/client";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("copies the WAL into the database file from a worker thread, with the writer's own checkpoints off", async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sesame-checkpoint-"));
  const file = path.join(dir, "test.db");
  const db = openSqlite(`file:${file}`, { autoCheckpoint: false });
  db.exec("CREATE TABLE t (x TEXT)");
  const insert = db.prepare("INSERT INTO t VALUES (?)");
  const insertHundred = db.transaction(() => {
    for (let j = 0; j < 100; j++) insert.run("x".repeat(500));
  });
  for (let i = 0; i < 20; i++) insertHundred();
  // A thousand-odd pages written, none copied back: the writer no longer checkpoints.
  expect(statSync(file).size).toBeLessThan(100_000);
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);

  const logged: string[] = [];
  const stop = startCheckpointer(file, 20, (message) => logged.push(message));
  try {
    await expect.poll(() => statSync(file).size, { timeout: 5000 }).toBeGreaterThan(1_000_000);
  } finally {
    await stop();
    db.close();
  }
  expect(logged).toEqual([]);
});
