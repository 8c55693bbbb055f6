// Runs in a worker thread: bcrypt's CPU time stays off the thread that serves requests.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import bcrypt from "bcryptjs";

// Hashing is background work: at a lower priority (Linux nice 4, this thread only), a login storm
// takes CPU time the request thread leaves over instead of sharing a core with it as an equal.
try {
  const thread = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(thread)) setPriority(thread, 4);
} catch {
  // No /proc (not Linux): the worker keeps the default priority.
}

/** @param {{ op: "hash", password: string, cost: number } | { op: "compare", password: string, hash: string }} task */
export default function bcryptTask(task) {
  return task.op === "hash" ? bcrypt.hashSync(task.password, task.cost) : bcrypt.compareSync(task.password, task.hash);
}
