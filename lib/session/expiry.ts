import type { SessionRecord } from "./record";

/** How long sessions live, in seconds. */
export interface ExpiryPolicy {
  idleSeconds: number;
  absoluteSeconds: number;
  rememberIdleSeconds: number;
  rememberAbsoluteSeconds: number;
  /** Sliding writes happen at most this often: a read is not a write on every request. */
  touchIntervalSeconds: number;
}

type ExpiryFields = Pick<SessionRecord, "lastSeenAt" | "absoluteExpiresAt" | "persistent" | "expiryAge" | "expiryDate">;

/** The idle age that applies: set_expiry(seconds), else the remember-me or default timeout. */
export function idleSecondsFor(fields: Pick<ExpiryFields, "persistent" | "expiryAge">, policy: ExpiryPolicy): number {
  if (fields.expiryAge !== null && fields.expiryAge > 0) return fields.expiryAge;
  return fields.persistent ? policy.rememberIdleSeconds : policy.idleSeconds;
}

/** The absolute lifetime of a session started (or logged in) at `start`: no activity extends it. */
export function absoluteExpiryFrom(start: Date, persistent: boolean, policy: ExpiryPolicy): Date {
  const seconds = persistent ? policy.rememberAbsoluteSeconds : policy.absoluteSeconds;
  return new Date(start.getTime() + seconds * 1000);
}

/** When inactivity ends the session: a fixed set_expiry date, else the idle age after the last sliding write. */
export function idleExpiresAt(fields: Omit<ExpiryFields, "absoluteExpiresAt">, policy: ExpiryPolicy): Date {
  return fields.expiryDate ?? new Date(fields.lastSeenAt.getTime() + idleSecondsFor(fields, policy) * 1000);
}

/** When the session ends: the sooner of its idle (or fixed) expiry and its absolute lifetime. */
export function computeExpiresAt(fields: ExpiryFields, policy: ExpiryPolicy): Date {
  const idle = idleExpiresAt(fields, policy);
  return idle < fields.absoluteExpiresAt ? idle : fields.absoluteExpiresAt;
}

/**
 * The cookie's Max-Age for a session that ends at `expiresAt`: whole seconds from `now`, to the
 * nearest. The expiry was computed a few milliseconds earlier in the same request (at login, or
 * at set_expiry), so rounding down would send 299 for set_expiry(300).
 */
export function cookieMaxAge(expiresAt: Date, now: Date): number {
  return Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
}

/** Django's SESSION_EXPIRE_AT_BROWSER_CLOSE, per session: the cookie gets no Max-Age. */
export function expiresAtBrowserClose(fields: Pick<ExpiryFields, "persistent" | "expiryAge" | "expiryDate">): boolean {
  if (fields.expiryAge === 0) return true;
  if (fields.expiryAge !== null || fields.expiryDate !== null) return false;
  return !fields.persistent;
}

/** The Max-Age the session's cookie is sent with: none for a browser-session cookie, else the seconds it has left. */
export function cookieMaxAgeFor(
  record: Pick<SessionRecord, "expiresAt" | "persistent" | "expiryAge" | "expiryDate">,
  now: Date,
): number | undefined {
  return expiresAtBrowserClose(record) ? undefined : cookieMaxAge(record.expiresAt, now);
}

export type ExpiryReason = "idle" | "absolute";

/** Why a stored session is no longer valid at `now`, or null while it is. */
export function expiredReason(
  record: Pick<SessionRecord, "expiresAt" | "absoluteExpiresAt">,
  now: Date,
): ExpiryReason | null {
  if (record.absoluteExpiresAt <= now) return "absolute";
  if (record.expiresAt <= now) return "idle";
  return null;
}

/** Whether this request should slide the expiry forward (and so write the row). */
export function needsTouch(record: ExpiryFields, now: Date, policy: ExpiryPolicy): boolean {
  if (record.expiryDate !== null) return false;
  return now.getTime() - record.lastSeenAt.getTime() >= policy.touchIntervalSeconds * 1000;
}

/** Milliseconds until a record expires, at least one second: the TTL for stores that expire keys themselves. */
export const ttlMs = (expiresAt: Date): number => Math.max(1000, expiresAt.getTime() - Date.now());
