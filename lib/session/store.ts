import type { SessionData } from "./json";

/** One step in a session's life, as its activity log shows it. Never a value. */
export interface SessionEvent {
  at: string;
  type:
    | "created"
    | "logged_in"
    | "key_rotated"
    | "key_set"
    | "key_deleted"
    | "cleared"
    | "expiry_extended"
    | "expiry_changed"
    | "revoked";
  /** A key name or a short description, never a stored value. */
  detail?: string;
}

/** The activity log keeps this many events per session. */
export const MAX_EVENTS = 50;

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
  userAgent: string | null;
  ip: string | null;
  events: SessionEvent[];
}

export type SessionMeta = Pick<
  SessionRecord,
  "userId" | "lastSeenAt" | "expiresAt" | "absoluteExpiresAt" | "persistent" | "expiryAge" | "expiryDate"
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

/** Django's SessionBase contract: one shape for every backend. */
export interface SessionStore {
  /** The SESSION_ENGINE name. */
  readonly engine: string;
  /**
   * True when the whole record travels in the cookie (SESSION_ENGINE=cookie): every write must
   * then reissue the cookie, and nothing on the server can end the session.
   */
  readonly recordInCookie?: boolean;
  /** Throws a SessionValueError when a record would not fit where the store keeps it. */
  assertFits?(record: SessionRecord): void;
  /** The stored session, expired or not, or null. Corrupt data loads as an empty session. */
  load(tokenHash: string): Promise<SessionRecord | null>;
  exists(tokenHash: string): Promise<boolean>;
  create(record: SessionRecord): Promise<void>;
  /** Merges the changes into the stored row; null when the row is gone. */
  save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null>;
  /**
   * Moves a session to a new key in one atomic step: deletes the record under `oldTokenHash` and
   * creates it under `key`, with `changes` merged into what is stored now (not into an earlier
   * copy). Null, creating nothing, when the old record is gone: a session revoked while the request
   * ran must not come back under a new key.
   */
  rotate(oldTokenHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null>;
  /** Deletes a session. With a reason, remembers why until it would have expired anyway. */
  delete(tokenHash: string, reason?: EndReason): Promise<void>;
  /** Why a session that no longer exists was ended, if it was ended early. */
  endReason(tokenHash: string): Promise<EndReason | null>;
  /** Removes expired sessions (and expired end reasons) and returns how many sessions. */
  clearExpired(now: Date): Promise<number>;
  /** The user's live sessions, newest activity first. */
  listForUser(userId: string, now: Date): Promise<SessionRecord[]>;
  /**
   * Ends the user's sessions, all of them or the one with public id `id`, except the session
   * with `exceptTokenHash`. Returns how many ended: 0 for another user's or a missing session.
   */
  deleteForUser(
    userId: string,
    options: { reason: EndReason; id?: string; exceptTokenHash?: string },
  ): Promise<number>;
}

/** Applies one request's changes to stored data: the merge every backend shares. */
export function mergeData(stored: SessionData, changes: SessionChanges): SessionData {
  const merged: SessionData = changes.cleared ? {} : { ...stored };
  for (const key of changes.deleted) delete merged[key];
  return Object.assign(merged, changes.set);
}

/**
 * Appends events to a stored log, keeping the newest MAX_EVENTS. Back-to-back expiry extensions
 * fold into one, so an hour of activity does not push "created" and "logged in" out of the log.
 */
export function appendEvents(stored: SessionEvent[], added: SessionEvent[]): SessionEvent[] {
  if (added.length === 0) return stored;
  const log = [...stored];
  for (const event of added) {
    const last = log.at(-1);
    if (event.type === "expiry_extended" && last?.type === "expiry_extended") {
      const count = Number(/^(\d+) times$/.exec(last.detail ?? "")?.[1] ?? 1) + 1;
      log[log.length - 1] = { ...event, detail: `${count} times` };
    } else {
      log.push(event);
    }
  }
  return log.slice(-MAX_EVENTS);
}

export function hasChanges(changes: SessionChanges): boolean {
  return (
    changes.cleared ||
    changes.events.length > 0 ||
    changes.deleted.length > 0 ||
    Object.keys(changes.set).length > 0 ||
    Object.keys(changes.meta).length > 0
  );
}
