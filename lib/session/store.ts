import type {
  DeleteForUserOptions,
  EndReason,
  LiveSessionPage,
  LiveSessionQuery,
  NewKey,
  SessionChanges,
  SessionRecord,
} from "./record";

/** Where a store reports what it could not read or reach; console.warn unless a test listens. */
export type Log = (message: string) => void;

/** Django's SessionBase contract: one shape for every backend. */
export interface SessionStore {
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
  deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number>;
  /**
   * Every live session, newest first, one page at a time: Django's admin over the Session table.
   * A store that keeps sessions in their cookies knows only the one this request carries.
   */
  listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage>;
  /** The stored session with public id `id`, live or not, or null: what the admin opens and ends. */
  findById(id: string): Promise<SessionRecord | null>;
}
