import { redirect } from "next/navigation";
import type { NextResponse } from "next/server";
import { getServices } from "../services";
import { isPasswordFresh, passwordFreshUntil } from "../session/reauthentication";
import type { Session } from "../session/session";
import { errorResponse } from "./api";

/**
 * Sudo mode for pages, server actions and route handlers: the gates a sensitive action passes,
 * with the window from SESSION_REAUTH_WINDOW. The rule itself is lib/session/reauthentication.ts.
 */

export const REAUTHENTICATION_REQUIRED_MESSAGE =
  "This action needs your password again: it was last entered too long ago. Confirm it with POST /api/auth/confirm, then try again.";

/** The page that asks for the password, sending the visitor back to `next` (a path on this site) after. */
export function confirmPasswordPath(next: string): string {
  return `/confirm-password?next=${encodeURIComponent(next)}`;
}

/** Where the session stands in sudo mode, for the pages that tell the visitor. */
export interface PasswordFreshness {
  windowSeconds: number;
  confirmedAt: Date | null;
  /** When the last password entry stops counting; null if it never counted. */
  freshUntil: Date | null;
  fresh: boolean;
}

export async function passwordFreshness(session: Session, now: Date = new Date()): Promise<PasswordFreshness> {
  const windowSeconds = (await getServices()).settings.reauthWindowSeconds;
  return {
    windowSeconds,
    confirmedAt: session.passwordConfirmedAt,
    freshUntil: passwordFreshUntil(session, windowSeconds),
    fresh: isPasswordFresh(session, windowSeconds, now),
  };
}

/** Whether a sensitive action may go ahead now without asking for the password again. */
export async function hasFreshPassword(session: Session, now: Date = new Date()): Promise<boolean> {
  return (await passwordFreshness(session, now)).fresh;
}

/** A JSON answer to a sensitive call past the window: 403, which POST /api/auth/confirm lifts. */
export function reauthenticationRequiredResponse(): NextResponse {
  return errorResponse(403, "ReauthenticationRequired", REAUTHENTICATION_REQUIRED_MESSAGE);
}

/**
 * For pages and server actions: past the window, sends the visitor to /confirm-password, which
 * brings them back to `next`. redirect() throws, so call this outside any try/catch.
 */
export async function requireFreshPasswordOrRedirect(session: Session, next: string): Promise<void> {
  if (!(await hasFreshPassword(session))) redirect(confirmPasswordPath(next));
}
