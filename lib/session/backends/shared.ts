import { SessionConflictError } from "../errors";
import { parseData, serializeData, type SessionData } from "../json";
import { appendEvents, mergeData, type EndReason, type NewKey, type SessionChanges, type SessionEvent, type SessionRecord } from "../store";

/**
 * What the Redis, file and cookie backends share: a record as JSON (dates as ISO text), the merge
 * of one request's changes, optimistic retries, per-key queues and the user filters.
 */

export type Log = (message: string) => void;

/** A SessionRecord as JSON. `data` is JSON text in server-side stores (like the db column), an object in the cookie. */
export type StoredRecord = Omit<SessionRecord, "data" | "createdAt" | "lastSeenAt" | "expiresAt" | "absoluteExpiresAt" | "expiryDate"> & {
  data: string | SessionData;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  absoluteExpiresAt: string;
  expiryDate: string | null;
};

export function toStored(record: SessionRecord, { dataAsText = true } = {}): StoredRecord {
  return {
    ...record,
    data: dataAsText ? serializeData(record.data) : record.data,
    createdAt: record.createdAt.toISOString(),
    lastSeenAt: record.lastSeenAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    absoluteExpiresAt: record.absoluteExpiresAt.toISOString(),
    expiryDate: record.expiryDate?.toISOString() ?? null,
  };
}

export const encodeRecord = (record: SessionRecord): string => JSON.stringify(toStored(record));

const date = (value: unknown): Date | null => {
  const parsed = typeof value === "string" ? new Date(value) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
};
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * A stored record back as a SessionRecord. A broken envelope is logged and loads as missing (the
 * visitor gets a new session); broken data is logged and loads as empty, as the db store does.
 */
export function fromStored(value: unknown, log: Log, label: string): SessionRecord | null {
  const v = (value ?? {}) as Partial<Record<keyof StoredRecord, unknown>>;
  const dates = [date(v.createdAt), date(v.lastSeenAt), date(v.expiresAt), date(v.absoluteExpiresAt)] as const;
  const [createdAt, lastSeenAt, expiresAt, absoluteExpiresAt] = dates;
  if (typeof v.id !== "string" || typeof v.tokenHash !== "string" || !createdAt || !lastSeenAt || !expiresAt || !absoluteExpiresAt) {
    log(`[sesame] session ${label}: the stored record is corrupt; treating it as missing.`);
    return null;
  }
  const data = typeof v.data === "string" ? parseData(v.data) : isPlainObject(v.data) ? (v.data as SessionData) : null;
  if (data === null) log(`[sesame] session ${v.id}: stored data is corrupt; serving it as empty.`);
  return {
    id: v.id,
    tokenHash: v.tokenHash,
    userId: text(v.userId),
    data: data ?? {},
    createdAt,
    lastSeenAt,
    expiresAt,
    absoluteExpiresAt,
    persistent: v.persistent === true,
    expiryAge: typeof v.expiryAge === "number" ? v.expiryAge : null,
    expiryDate: date(v.expiryDate),
    userAgent: text(v.userAgent),
    ip: text(v.ip),
    events: Array.isArray(v.events) ? (v.events as SessionEvent[]) : [],
  };
}

export function decodeRecord(raw: string, log: Log, label: string): SessionRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  return fromStored(value, log, label);
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** One request's changes applied to a stored record; refuses data over the size cap. */
export function mergeRecord(current: SessionRecord, changes: SessionChanges): SessionRecord {
  const data = mergeData(current.data, changes);
  serializeData(data);
  return { ...current, ...changes.meta, data, events: appendEvents(current.events, changes.events) };
}

/** What a rotation stores: the current record with the changes merged in, under its new key. */
export function rotateRecord(current: SessionRecord, key: NewKey, changes: SessionChanges): SessionRecord {
  return { ...mergeRecord(current, changes), ...key };
}

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

export type DeleteForUserOptions = { reason: EndReason; id?: string; exceptTokenHash?: string };

/** Whether `deleteForUser(userId, options)` should end this record. */
export function isDoomed(record: SessionRecord, userId: string, options: DeleteForUserOptions): boolean {
  return (
    record.userId === userId &&
    record.tokenHash !== options.exceptTokenHash &&
    (options.id === undefined || record.id === options.id)
  );
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

/** A user's live sessions, most recently seen first, as listForUser returns them. */
export function liveSessionsOf(records: SessionRecord[], userId: string, now: Date): SessionRecord[] {
  return records
    .filter((r) => r.userId === userId && r.expiresAt > now && r.absoluteExpiresAt > now)
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

/** Milliseconds until a record expires, at least one second: the TTL for stores that expire keys themselves. */
export const ttlMs = (expiresAt: Date): number => Math.max(1000, expiresAt.getTime() - Date.now());

/** Token hashes are 64 hex characters; anything else names no session (and never a file or key). */
export const isTokenHash = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);
