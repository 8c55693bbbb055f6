import type { Database } from "../db/client";
import type { Session } from "../session/session";
import type { Credentials, LoginInput } from "./schemas";
import { authenticate, registerUser, type AuthenticateResult, type RegisterResult } from "./users";

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

export const LOGIN_FAILED_MESSAGE = "That email and password do not match an account.";
export const EMAIL_TAKEN_MESSAGE = "An account with this email already exists. Log in instead?";
