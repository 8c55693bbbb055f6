import { appendEvents, type SessionEvent } from "./activity";
import { serializeData, type SessionData } from "./json";

/** Why a session was ended early, so the holder of its old cookie can be told. */
export const END_REASONS = [
  "revoked",
  "password_changed",
  "logged_out_everywhere",
  "account_deleted",
  "ended_by_admin",
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** A session as every backend stores it. */
export interface SessionRecord {
  /** Public identifier: shown in the UI and used to revoke, never the token. */
  id: string;
  tokenHash: string;
  userId: string | null;
  data: SessionData;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  persistent: boolean;
  expiryAge: number | null;
  expiryDate: Date | null;
  /**
   * When the user last entered their password: at login, or at a confirmation (sudo mode). A field
   * of the record, not session data, which a visitor can write and so could forge.
   */
  passwordConfirmedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
  events: SessionEvent[];
}

export type SessionMeta = Pick<
  SessionRecord,
  | "userId"
  | "lastSeenAt"
  | "expiresAt"
  | "absoluteExpiresAt"
  | "persistent"
  | "expiryAge"
  | "expiryDate"
  | "passwordConfirmedAt"
>;

/**
 * What one request changed. Stores merge it into the stored row atomically, so two
 * requests that change different keys of one session both survive.
 */
export interface SessionChanges {
  cleared: boolean;
  set: SessionData;
  deleted: string[];
  meta: Partial<SessionMeta>;
  /** Appended to the stored log, which keeps the last MAX_EVENTS. */
  events: SessionEvent[];
}

/** What a key rotation gives the session: a new public id, token hash and creation time. */
export type NewKey = Pick<SessionRecord, "id" | "tokenHash" | "createdAt">;

/** Applies one request's changes to stored data: the merge every backend shares. */
export function mergeData(stored: SessionData, changes: SessionChanges): SessionData {
  const merged: SessionData = changes.cleared ? {} : { ...stored };
  for (const key of changes.deleted) delete merged[key];
  return Object.assign(merged, changes.set);
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

/** Whether a request changed anything that must be written. */
export function hasChanges(changes: SessionChanges): boolean {
  return (
    changes.cleared ||
    changes.events.length > 0 ||
    changes.deleted.length > 0 ||
    Object.keys(changes.set).length > 0 ||
    Object.keys(changes.meta).length > 0
  );
}

/** Which of a user's sessions `deleteForUser` ends, and why. */
export type DeleteForUserOptions = { reason: EndReason; id?: string; exceptTokenHash?: string };

/** Whether `deleteForUser(userId, options)` should end this record. */
export function isDoomed(record: SessionRecord, userId: string, options: DeleteForUserOptions): boolean {
  return (
    record.userId === userId &&
    record.tokenHash !== options.exceptTokenHash &&
    (options.id === undefined || record.id === options.id)
  );
}

/** A user's live sessions, most recently seen first, as listForUser returns them. */
export function liveSessionsOf(records: SessionRecord[], userId: string, now: Date): SessionRecord[] {
  return records
    .filter((r) => r.userId === userId && r.expiresAt > now && r.absoluteExpiresAt > now)
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

/** Which live sessions `listLive` returns: one page, newest first, of everyone's or of some users' sessions. */
export interface LiveSessionQuery {
  /** Only these users' sessions; absent for every session, anonymous ones included. */
  userIds?: readonly string[];
  offset: number;
  limit: number;
}

/** One page of live sessions and how many there are in all. */
export interface LiveSessionPage {
  records: SessionRecord[];
  total: number;
}

/**
 * Newest first, as the admin lists them: by public id, descending. Ids are UUIDv7, which begin with
 * their creation time, so their order is the order of creation (a key rotation makes a new id), and the
 * SQL stores walk the primary key's index backwards instead of sorting every live row.
 */
function newestFirst(a: SessionRecord, b: SessionRecord): number {
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** `listLive` over records held in memory or read by a scan: the stores without SQL share this. */
export function pageOfLiveSessions(
  records: Iterable<SessionRecord>,
  now: Date,
  query: LiveSessionQuery,
): LiveSessionPage {
  const users = query.userIds ? new Set(query.userIds) : null;
  const live = [...records]
    .filter(
      (r) => r.expiresAt > now && r.absoluteExpiresAt > now && (!users || (r.userId !== null && users.has(r.userId))),
    )
    .sort(newestFirst);
  return { records: live.slice(query.offset, query.offset + query.limit), total: live.length };
}
