import { SessionConflictError } from "../errors";
import type { SessionRecord } from "../record";

const MAX_ATTEMPTS = 50;

/**
 * Optimistic concurrency for stores shared between processes: read, merge, write only if nobody
 * wrote since (`write` answers "conflict"), else back off with jitter and try again.
 */
export async function mergeWithRetries(
  read: () => Promise<{ record: SessionRecord; version: string } | null>,
  merge: (current: SessionRecord) => SessionRecord,
  write: (merged: SessionRecord, version: string, current: SessionRecord) => Promise<"ok" | "conflict" | "missing">,
): Promise<SessionRecord | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await read();
    if (!current) return null;
    const merged = merge(current.record);
    const outcome = await write(merged, current.version, current.record);
    if (outcome === "ok") return merged;
    if (outcome === "missing") return null;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
  }
  throw new SessionConflictError("The session kept changing under this save; try again.");
}

/** Runs work for one key at a time in this process, so saves to one session never race each other here. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.#tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.#tails.set(key, next);
    void next
      .finally(() => {
        if (this.#tails.get(key) === next) this.#tails.delete(key);
      })
      .catch(() => undefined);
    return next;
  }
}

/** How many times deleteForUser looks again for sessions that a concurrent rotation moved. */
const MAX_SWEEPS = 10;

/**
 * deleteForUser for stores that list and delete in separate steps (Redis, files): a rotation that
 * lands between the two moves a session out of reach under a new key. So this lists again until
 * nothing is left to end, and the moved session is caught under its new key. Returns how many ended.
 */
export async function endUntilNoneLeft(
  listDoomed: () => Promise<SessionRecord[]>,
  end: (tokenHash: string) => Promise<boolean>,
): Promise<number> {
  let ended = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const doomed = await listDoomed();
    if (doomed.length === 0) break;
    const removed = await Promise.all(doomed.map((record) => end(record.tokenHash)));
    ended += removed.filter(Boolean).length;
  }
  return ended;
}

/** How long one batch of a clearing should hold its locks, the pause after it, and its size bounds. */
const CLEAR_BATCH_MS = 50;
const CLEAR_PAUSE_MS = 5;
const MIN_BATCH = 100;
const MAX_BATCH = 50_000;

/**
 * Deletes in batches sized as it goes to take about CLEAR_BATCH_MS each, pausing between them,
 * so that a million expired rows go without any writer waiting long. `deleteBatch(size)` deletes
 * at most `size` rows and returns how many it deleted. Returns the total.
 */
export async function clearInBatches(deleteBatch: (size: number) => Promise<number>): Promise<number> {
  let removed = 0;
  let size = 500;
  for (;;) {
    const started = performance.now();
    const deleted = await deleteBatch(size);
    removed += deleted;
    if (deleted < size) return removed;
    const elapsed = Math.max(performance.now() - started, 0.1);
    size = Math.round(Math.min(Math.max((size * CLEAR_BATCH_MS) / elapsed, MIN_BATCH), MAX_BATCH));
    await new Promise((resolve) => setTimeout(resolve, CLEAR_PAUSE_MS));
  }
}
