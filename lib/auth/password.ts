import path from "node:path";
import pLimit from "p-limit";
import { Piscina } from "piscina";
import { BCRYPT_POOL_DEFAULTS } from "../config/env";

/**
 * bcrypt is slow on purpose (about 295 ms at cost 12 here), and bcrypt.js burns that time on
 * whatever thread calls it, async or not. A pool of worker threads keeps it off the thread that
 * serves requests. One core stays free for that thread: by default the pool has cores - 1 workers.
 */
export interface PasswordPoolOptions {
  workers: number;
  /** Checks that may wait for a worker; one more is refused with PasswordPoolBusyError. */
  queueLimit: number;
}

type BcryptTask = { op: "hash"; password: string; cost: number } | { op: "compare"; password: string; hash: string };
type RunTask = (task: BcryptTask, signal?: AbortSignal) => Promise<unknown>;

/** The pool is full: the caller should answer 503 with Retry-After rather than queue without end. */
export class PasswordPoolBusyError extends Error {
  override name = "PasswordPoolBusyError";
  constructor(readonly retryAfterSeconds: number) {
    super("Too many password checks are waiting; try again in a few seconds.");
  }
}

// Kept on globalThis so dev-mode module reloads reuse one pool.
const holder = globalThis as typeof globalThis & {
  __sesameBcrypt?: RunTask;
  __sesameBcryptOptions?: PasswordPoolOptions;
};

/** Sets the pool's size and queue bound; the services calls it once, before the first password check. */
export function configurePasswordPool(options: PasswordPoolOptions): void {
  holder.__sesameBcryptOptions = options;
}

/**
 * Runs a task on the pool, first come, first served. Piscina 5 alone is not fair under a steady
 * stream: a task submitted as another finishes can take the free worker ahead of older queued
 * ones, and in a login storm some logins waited over ten seconds while others took three. So no
 * more tasks than workers are handed to it, and the rest wait in p-limit's FIFO queue, which is
 * bounded: past `queueLimit` waiting checks, a new one is refused at once.
 */
function runTask(task: BcryptTask, signal?: AbortSignal): Promise<unknown> {
  if (!holder.__sesameBcrypt) {
    const { workers, queueLimit } = holder.__sesameBcryptOptions ?? BCRYPT_POOL_DEFAULTS;
    const pool = new Piscina({
      // Resolved from the project folder: the worker is plain ESM that bundlers must not rewrite.
      filename: path.join(process.cwd(), "lib", "auth", "bcrypt-worker.mjs"),
      minThreads: 1,
      maxThreads: workers,
      idleTimeout: 60_000,
    });
    const limit = pLimit(workers);
    holder.__sesameBcrypt = (next, nextSignal) => {
      if (limit.pendingCount >= queueLimit) {
        // Roughly how long the queue takes to drain: each worker clears one check every few hundred ms.
        return Promise.reject(new PasswordPoolBusyError(Math.max(1, Math.ceil(limit.pendingCount / workers / 2))));
      }
      return limit(() => {
        // A caller that went away while queued (a client that closed the connection) is skipped:
        // in a storm, abandoned logins would otherwise hold up the ones still waiting.
        if (nextSignal?.aborted) throw new DOMException("The caller went away before its turn.", "AbortError");
        return pool.run(next);
      });
    };
  }
  return holder.__sesameBcrypt(task, signal);
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return runTask({ op: "hash", password, cost }) as Promise<string>;
}

/**
 * With `signal`, a check still queued when it aborts is dropped, rejecting with an AbortError.
 * A full queue rejects with PasswordPoolBusyError.
 */
export function verifyPassword(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
  return runTask({ op: "compare", password, hash }, signal) as Promise<boolean>;
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * A hash of a random password at the real cost. Comparing against it when the email is
 * unknown makes a miss take as long as a wrong password, so timing does not reveal accounts.
 */
export function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(crypto.randomUUID(), cost);
    hash.catch(() => dummyHashes.delete(cost)); // a busy pool must not poison the dummy for good
    dummyHashes.set(cost, hash);
  }
  return hash;
}
