import { parseData, serializeData, type SessionData } from "../json";
import { normalizeEvents, type SessionEvent } from "../activity";
import type { SessionRecord } from "../record";
import type { Log } from "../store";

/** A SessionRecord as JSON. `data` is JSON text in server-side stores (like the db column), an object in the cookie. */
export type StoredRecord = Omit<
  SessionRecord,
  "data" | "createdAt" | "lastSeenAt" | "expiresAt" | "absoluteExpiresAt" | "expiryDate" | "passwordConfirmedAt"
> & {
  data: string | SessionData;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  absoluteExpiresAt: string;
  expiryDate: string | null;
  passwordConfirmedAt: string | null;
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
    passwordConfirmedAt: record.passwordConfirmedAt?.toISOString() ?? null,
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
  if (
    typeof v.id !== "string" ||
    typeof v.tokenHash !== "string" ||
    !createdAt ||
    !lastSeenAt ||
    !expiresAt ||
    !absoluteExpiresAt
  ) {
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
    // Records stored before sudo mode have no such field: never confirmed, so the next sensitive action asks.
    passwordConfirmedAt: date(v.passwordConfirmedAt),
    userAgent: text(v.userAgent),
    ip: text(v.ip),
    events: Array.isArray(v.events) ? normalizeEvents(v.events as SessionEvent[]) : [],
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

/** A JSON array stored as text (the events column), or an empty one when the text is not one. */
export function parseJsonArray(text: unknown): unknown[] {
  try {
    const value: unknown = JSON.parse(String(text));
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
