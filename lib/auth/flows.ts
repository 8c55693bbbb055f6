import type { Database } from "../db/client";
import type { Session } from "../session/session";
import { audit } from "./audit";
import { PasswordPoolBusyError } from "./password";
import type { AuthRateLimiter } from "./rate-limit";
import type { Credentials, LoginInput } from "./schemas";
import {
  authenticate,
  registerUser,
  setPassword,
  verifyUserPassword,
  type AuthenticateResult,
  type RegisterResult,
} from "./users";

/** The steps shared by the forms and the JSON API. Callers validate first and set the cookie after. */

/** Who is asking, for rate limits and the audit log. Without a limiter nothing is limited (tests, scripts). */
export interface RequestGuard {
  limiter?: AuthRateLimiter;
  ip: string | null;
  /** Aborts when the client goes away: a login still waiting for a bcrypt worker is then dropped. */
  signal?: AbortSignal;
}

export type RateLimited = { ok: false; reason: "rate_limited"; retryAfterSeconds: number };
/** Too many password checks are already waiting for a bcrypt worker: 503 with Retry-After. */
export type Busy = { ok: false; reason: "busy"; retryAfterSeconds: number };

/** Creates the account and logs it in, rotating the session key. */
export async function registerAndLogIn(
  db: Database,
  session: Session,
  credentials: Credentials,
  cost: number,
  guard: RequestGuard = { ip: null },
): Promise<RegisterResult | RateLimited> {
  const allowed = guard.limiter ? await guard.limiter.consumeRegistration(guard.ip) : { ok: true as const };
  if (!allowed.ok) {
    audit("register.rate_limited", { ip: guard.ip, email: credentials.email });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: allowed.retryAfterSeconds };
  }
  const result = await registerUser(db, credentials, cost);
  if (!result.ok) {
    audit("register.rejected", { ip: guard.ip, email: credentials.email, detail: result.reason });
    return result;
  }
  await session.login(result.user.id);
  audit("register.success", { ip: guard.ip, userId: result.user.id, tokenHash: session.tokenHash });
  return result;
}

/** Checks the password and logs in, rotating the key as Django's `login()` does. */
export async function logIn(
  db: Database,
  session: Session,
  input: LoginInput,
  cost: number,
  guard: RequestGuard = { ip: null },
): Promise<AuthenticateResult | RateLimited | Busy> {
  const checked = await checkPasswordWithinLimits(input.email, guard, () =>
    authenticate(db, input, cost, guard.signal),
  );
  if (!checked.ok) {
    if (checked.reason === "rate_limited") audit("login.rate_limited", { ip: guard.ip, email: input.email });
    else if (checked.reason === "busy") audit("login.busy", { ip: guard.ip, email: input.email });
    else audit("login.failure", { ip: guard.ip, email: input.email, tokenHash: session.tokenHash });
    return checked.reason === "wrong_password" ? { ok: false } : checked;
  }
  await session.login(checked.value.user.id, { persistent: input.remember });
  audit("login.success", { ip: guard.ip, userId: checked.value.user.id, tokenHash: session.tokenHash });
  return checked.value;
}

/**
 * Runs a password check inside the login budgets: the point is taken before the check, so
 * parallel guesses cannot all slip past a limit read beforehand, and it is given back on
 * success, or when the check never ran (the pool was full, the client went away).
 */
async function checkPasswordWithinLimits<T extends { ok: boolean }>(
  account: string,
  guard: RequestGuard,
  check: () => Promise<T>,
): Promise<{ ok: true; value: T & { ok: true } } | { ok: false; reason: "wrong_password" } | RateLimited | Busy> {
  const decision = guard.limiter ? await guard.limiter.beginLogin(account, guard.ip) : null;
  if (decision && !decision.ok)
    return { ok: false, reason: "rate_limited", retryAfterSeconds: decision.retryAfterSeconds };
  const attempt = decision?.attempt;
  let result: T;
  try {
    result = await check();
  } catch (error) {
    await attempt?.abandoned();
    if (error instanceof PasswordPoolBusyError)
      return { ok: false, reason: "busy", retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  if (!result.ok) {
    await attempt?.failed();
    return { ok: false, reason: "wrong_password" };
  }
  await attempt?.succeeded();
  return { ok: true, value: result as T & { ok: true } };
}

/** Deletes the server-side row, so the old cookie is worthless even if it was copied. */
export async function logOut(session: Session): Promise<void> {
  audit("logout", { userId: session.userId, tokenHash: session.tokenHash });
  await session.flush();
}

export type ReauthResult = { ok: true } | { ok: false; reason: "wrong_password" | "not_logged_in" };

/**
 * Django's `update_session_auth_hash`, made explicit: after the new password is stored, this
 * session gets a new key and every other session of the user ends, with the reason recorded.
 */
export async function changePassword(
  db: Database,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  cost: number,
  guard: RequestGuard = { ip: null },
): Promise<ReauthResult | RateLimited | Busy> {
  const userId = session.userId;
  if (!userId) return { ok: false, reason: "not_logged_in" };
  const checked = await reauthenticate(db, session, userId, input.currentPassword, guard, "password.change_failed");
  if (!checked.ok) return checked;
  // Sessions first: if storing the password then fails, the account is safer, not weaker.
  await session.cycleKey();
  const except = session.tokenHash;
  const ended = await session.store.deleteForUser(userId, {
    reason: "password_changed",
    ...(except ? { exceptTokenHash: except } : {}),
  });
  await setPassword(db, userId, input.newPassword, cost);
  // The current password was just entered: sudo mode starts again from now.
  if (session.userId === userId) session.confirmPassword();
  audit("password.changed", { userId, tokenHash: except, ip: guard.ip, detail: `${ended} other sessions ended` });
  return { ok: true };
}

/**
 * Checks a logged-in user's password before a sensitive change. Attempts count against the same
 * budgets as logins (keyed by the user id), so a stolen session cannot guess the password without limit.
 */
async function reauthenticate(
  db: Database,
  session: Session,
  userId: string,
  password: string,
  guard: RequestGuard,
  failure: "password.change_failed" | "account.delete_failed" | "password.confirm_failed",
): Promise<{ ok: true } | { ok: false; reason: "wrong_password" } | RateLimited | Busy> {
  const checked = await checkPasswordWithinLimits(`user:${userId}`, guard, async () => ({
    ok: await verifyUserPassword(db, userId, password),
  }));
  if (checked.ok) return { ok: true };
  if (checked.reason === "wrong_password") audit(failure, { userId, tokenHash: session.tokenHash, ip: guard.ip });
  return checked;
}

export type ConfirmResult = { ok: true; confirmedAt: Date } | { ok: false; reason: "wrong_password" | "not_logged_in" };

/**
 * Sudo mode's confirmation: checks the logged-in user's password, within the login budgets keyed
 * by the user and the address, and renews the window. The key rotates too, as at login: a
 * re-authentication gets a new token and ends the old one (ASVS 7.2.4).
 */
export async function confirmPassword(
  db: Database,
  session: Session,
  password: string,
  guard: RequestGuard = { ip: null },
): Promise<ConfirmResult | RateLimited | Busy> {
  const userId = session.userId;
  if (!userId) return { ok: false, reason: "not_logged_in" };
  const checked = await reauthenticate(db, session, userId, password, guard, "password.confirm_failed");
  if (!checked.ok) return checked;
  await session.cycleKey();
  // Ended elsewhere (revoked, logged out everywhere) while the password was checked: nothing to confirm.
  if (session.userId !== userId) return { ok: false, reason: "not_logged_in" };
  const confirmedAt = session.confirmPassword();
  audit("password.confirmed", { userId, tokenHash: session.tokenHash, ip: guard.ip });
  return { ok: true, confirmedAt };
}

/** Deletes the account after checking the password; every session of the user goes with it. */
export async function deleteAccount(
  db: Database,
  session: Session,
  password: string,
  guard: RequestGuard = { ip: null },
): Promise<ReauthResult | RateLimited | Busy> {
  const userId = session.userId;
  if (!userId) return { ok: false, reason: "not_logged_in" };
  const checked = await reauthenticate(db, session, userId, password, guard, "account.delete_failed");
  if (!checked.ok) return checked;
  // The database cascades, but other stores (and their caches) must hear of it too.
  await session.store.deleteForUser(userId, { reason: "account_deleted" });
  await db.user.delete({ where: { id: userId } });
  audit("account.deleted", { userId, tokenHash: session.tokenHash, ip: guard.ip });
  await session.flush();
  return { ok: true };
}

export function rateLimitedMessage(retryAfterSeconds: number): string {
  return `Too many attempts. ${waitMessage(retryAfterSeconds)}`;
}

export function waitMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
}

export const BUSY_MESSAGE = "Sesame is busy checking other passwords. Please try again in a few seconds.";
export const WRONG_PASSWORD_MESSAGE = "That is not your current password.";
export const LOGIN_FAILED_MESSAGE = "That email and password do not match an account.";
/** The register form shows this next to the email field, with "Log in instead?" as a link. */
export const EMAIL_TAKEN = "An account with this email already exists.";
export const EMAIL_TAKEN_MESSAGE = `${EMAIL_TAKEN} Log in instead?`;
