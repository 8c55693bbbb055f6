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
