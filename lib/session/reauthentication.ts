import type { Session } from "./session";

/**
 * Sudo mode, as django-sudo's `@sudo_required` and Laravel's `password.confirm`: a sensitive action
 * needs a password entered recently, not only a live session, so a session left open on a shared
 * computer (or a stolen cookie) cannot change the password or end the owner's other sessions.
 */

/** What sudo mode reads of a session: who is logged in and when they last entered their password. */
export type ConfirmableSession = Pick<Session, "userId" | "passwordConfirmedAt">;

/**
 * When the last password entry stops counting as fresh: `windowSeconds` after it. Null for an
 * anonymous session, or one whose password was never entered (a row stored before sudo mode).
 */
export function passwordFreshUntil(session: ConfirmableSession, windowSeconds: number): Date | null {
  const confirmedAt = session.passwordConfirmedAt;
  if (session.userId === null || confirmedAt === null) return null;
  return new Date(confirmedAt.getTime() + windowSeconds * 1000);
}

/** Whether a sensitive action may go ahead at `now` without asking for the password again. */
export function isPasswordFresh(session: ConfirmableSession, windowSeconds: number, now: Date): boolean {
  const until = passwordFreshUntil(session, windowSeconds);
  return until !== null && now.getTime() < until.getTime();
}
