import type { Database } from "../db/client";
import type { Session } from "../session/session";
import type { SessionStore } from "../session/store";
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

/** Creates the account and logs it in, rotating the session key. */
export async function registerAndLogIn(db: Database, session: Session, credentials: Credentials, cost: number): Promise<RegisterResult> {
  const result = await registerUser(db, credentials, cost);
  if (result.ok) await session.login(result.user.id);
  return result;
}

/** Checks the password and logs in, rotating the key as Django's `login()` does. */
export async function logIn(db: Database, session: Session, input: LoginInput, cost: number): Promise<AuthenticateResult> {
  const result = await authenticate(db, input, cost);
  if (result.ok) await session.login(result.user.id, { persistent: input.remember });
  return result;
}

/** Deletes the server-side row, so the old cookie is worthless even if it was copied. */
export async function logOut(session: Session): Promise<void> {
  await session.flush();
}

export type ReauthResult = { ok: true } | { ok: false; reason: "wrong_password" | "not_logged_in" };

/**
 * Django's `update_session_auth_hash`, made explicit: after the new password is stored, this
 * session gets a new key and every other session of the user ends, with the reason recorded.
 */
export async function changePassword(
  db: Database,
  store: SessionStore,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  cost: number,
): Promise<ReauthResult> {
  const userId = session.userId;
  if (!userId) return { ok: false, reason: "not_logged_in" };
  if (!(await verifyUserPassword(db, userId, input.currentPassword))) return { ok: false, reason: "wrong_password" };
  await setPassword(db, userId, input.newPassword, cost);
  await session.cycleKey();
  const except = session.tokenHash;
  await store.deleteForUser(userId, { reason: "password_changed", ...(except ? { exceptTokenHash: except } : {}) });
  return { ok: true };
}

/** Deletes the account after checking the password; every session of the user goes with it. */
export async function deleteAccount(db: Database, store: SessionStore, session: Session, password: string): Promise<ReauthResult> {
  const userId = session.userId;
  if (!userId) return { ok: false, reason: "not_logged_in" };
  if (!(await verifyUserPassword(db, userId, password))) return { ok: false, reason: "wrong_password" };
  // The database cascades, but other stores (and their caches) must hear of it too.
  await store.deleteForUser(userId, { reason: "revoked" });
  await db.user.delete({ where: { id: userId } });
  await session.flush();
  return { ok: true };
}

export const WRONG_PASSWORD_MESSAGE = "That is not your current password.";
export const LOGIN_FAILED_MESSAGE = "That email and password do not match an account.";
export const EMAIL_TAKEN_MESSAGE = "An account with this email already exists. Log in instead?";
