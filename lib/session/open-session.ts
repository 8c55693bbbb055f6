import { expiredReason, type ExpiryReason } from "./expiry";
import { Session, type SessionContext } from "./session";
import type { CookieLookup } from "./session-cookie";
import type { EndReason } from "./record";
import { hashToken } from "./token";

export type RejectionReason = ExpiryReason | EndReason | "unknown";

export interface OpenedSession {
  session: Session;
  /** Why the request's cookie was refused, or null when it was accepted or absent. */
  rejected: RejectionReason | null;
}

/**
 * Finds the session a cookie points to: unseal → token → SHA-256 → row.
 * Strict mode: a cookie the server cannot match to a live row is never adopted; the visitor
 * gets a new, empty session, and the reason is returned for the caller to explain.
 */
export async function openSession(
  ctx: SessionContext,
  cookie: string | CookieLookup | undefined,
): Promise<OpenedSession> {
  const lookup = typeof cookie === "object" ? cookie : { value: cookie, ambiguous: false };
  if (lookup.ambiguous) return { session: Session.create(ctx, { hadCookie: true }), rejected: "unknown" };
  const cookieValue = lookup.value;
  if (!cookieValue) return { session: Session.create(ctx), rejected: null };
  const token = await ctx.sealer.unseal(cookieValue);
  if (!token) return { session: Session.create(ctx, { hadCookie: true }), rejected: "unknown" };
  const tokenHash = hashToken(token);
  const record = await ctx.store.load(tokenHash);
  if (!record) {
    const ended = await ctx.store.endReason(tokenHash);
    return { session: Session.create(ctx, { hadCookie: true }), rejected: ended ?? "unknown" };
  }
  const reason = expiredReason(record, ctx.now());
  // Expired rows are never served; `clearExpired` removes them later, off the request path.
  if (reason) return { session: Session.create(ctx, { hadCookie: true }), rejected: reason };
  return { session: Session.fromRecord(ctx, token, record), rejected: null };
}
