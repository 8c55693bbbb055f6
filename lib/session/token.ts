import { createHash, randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/** A session token's size: 256 bits from the CSPRNG. */
export const TOKEN_BYTES = 32;

/** A new session token, base64url: 43 characters. */
export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** The only form of a token that is ever stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A user's id: 128 random bits, base64url. It may be shown, and says nothing about any token. */
export function generateUserId(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * A session's public id: a UUIDv7, unguessable (74 random bits) yet ordered by creation time, so
 * new rows land at the end of the id index and clearing old sessions walks it in order instead of
 * rewriting pages all over it. When it was made is no secret: the UI shows it.
 */
export function generateSessionId(): string {
  return uuidv7();
}

/**
 * What a session id from a client may look like: UUIDv7 characters, or the base64url of rows from
 * before UUIDv7. Anything else names no session, and is refused before a store is asked.
 */
export const SESSION_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A short label for a session id, for the UI and the activity log: its last 8 characters. A
 * UUIDv7 starts with its creation time, so ids made within hours of each other share their first
 * characters; the end is random, and tells any two sessions apart.
 */
export function sessionIdLabel(id: string): string {
  return `…${id.slice(-8)}`;
}

/** Token hashes are 64 hex characters; anything else names no session (and never a file or key). */
export const isTokenHash = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);
