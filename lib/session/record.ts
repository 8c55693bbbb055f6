import { appendEvents, type SessionEvent } from "./activity";
import { serializeData, type SessionData } from "./json";

/** Why a session was ended early, so the holder of its old cookie can be told. */
export type EndReason = "revoked" | "password_changed" | "logged_out_everywhere" | "account_deleted";

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
