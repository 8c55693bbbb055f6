import type { SessionData } from "./json";

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
}

/** Django's SessionBase contract: one shape for every backend. */
export interface SessionStore {
  /** The SESSION_ENGINE name. */
  readonly engine: string;
  /** The stored session, expired or not, or null. Corrupt data loads as an empty session. */
  load(tokenHash: string): Promise<SessionRecord | null>;
  exists(tokenHash: string): Promise<boolean>;
  create(record: SessionRecord): Promise<void>;
  /** Merges the changes into the stored row; null when the row is gone. */
  save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null>;
  delete(tokenHash: string): Promise<void>;
  /** Removes expired sessions and returns how many. */
  clearExpired(now: Date): Promise<number>;
}

/** Applies one request's changes to stored data: the merge every backend shares. */
export function mergeData(stored: SessionData, changes: SessionChanges): SessionData {
  const merged: SessionData = changes.cleared ? {} : { ...stored };
  for (const key of changes.deleted) delete merged[key];
  return Object.assign(merged, changes.set);
}

export function hasChanges(changes: SessionChanges): boolean {
  return (
    changes.cleared ||
    changes.deleted.length > 0 ||
    Object.keys(changes.set).length > 0 ||
    Object.keys(changes.meta).length > 0
  );
}
