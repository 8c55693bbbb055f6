"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import {
  BUSY_MESSAGE,
  confirmPassword,
  EMAIL_TAKEN,
  LOGIN_FAILED_MESSAGE,
  logIn,
  logOut,
  rateLimitedMessage,
  registerAndLogIn,
  WRONG_PASSWORD_MESSAGE,
} from "@/lib/auth/flows";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { confirmPasswordSchema, loginSchema, registerFormSchema } from "@/lib/auth/schemas";
import { readTextField } from "@/lib/http/form-data";
import { loadRefusalMessage } from "@/lib/next/messages";
import { commitSession, openMutableSession, requestGuard } from "@/lib/next/session";
import { getServices } from "@/lib/services";

export interface AuthFormState {
  errors?: Partial<Record<string, string[]>>;
  message?: string;
  /** The email is registered already: the form offers a link to log in. */
  emailTaken?: boolean;
  /** What was typed, so a failed submit keeps it. Never the password. */
  email?: string;
}

const UNEXPECTED = "Something went wrong on our side. Nothing was changed; please try again.";

export async function registerAction(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = readTextField(formData, "email") ?? "";
  const parsed = registerFormSchema.safeParse({
    email,
    password: readTextField(formData, "password"),
    confirmPassword: readTextField(formData, "confirmPassword"),
  });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Please fix the highlighted fields.", email };
  }
  try {
    const { db, settings } = await getServices();
    const { session } = await openMutableSession();
    const result = await registerAndLogIn(db, session, parsed.data, settings.bcryptCost, await requestGuard());
    if (!result.ok && result.reason === "rate_limited")
      return { message: rateLimitedMessage(result.retryAfterSeconds), email };
    // Said once, at the field; the live region only announces that a field needs attention.
    if (!result.ok)
      return {
        errors: { email: [EMAIL_TAKEN] },
        emailTaken: true,
        message: "Please fix the highlighted field.",
        email,
      };
    await commitSession(session);
  } catch (error) {
    const refusal = loadRefusalMessage(error);
    if (refusal) return { message: refusal, email };
    console.error("[sesame] register failed:", error instanceof Error ? error.name : typeof error);
    return { message: UNEXPECTED, email };
  }
  redirect(safeRedirectPath(readTextField(formData, "next")));
}

export async function loginAction(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = readTextField(formData, "email") ?? "";
  const parsed = loginSchema.safeParse({
    email,
    password: readTextField(formData, "password"),
    remember: formData.get("remember") === "on",
  });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Please fix the highlighted fields.", email };
  }
  try {
    const { db, settings } = await getServices();
    const { session } = await openMutableSession();
    const result = await logIn(db, session, parsed.data, settings.bcryptCost, await requestGuard());
    if (!result.ok) {
      if (!("reason" in result)) return { message: LOGIN_FAILED_MESSAGE, email };
      return { message: result.reason === "busy" ? BUSY_MESSAGE : rateLimitedMessage(result.retryAfterSeconds), email };
    }
    await commitSession(session);
  } catch (error) {
    const refusal = loadRefusalMessage(error);
    if (refusal) return { message: refusal, email };
    console.error("[sesame] login failed:", error instanceof Error ? error.name : typeof error);
    return { message: UNEXPECTED, email };
  }
  redirect(safeRedirectPath(readTextField(formData, "next")));
}

export interface ConfirmPasswordFormState {
  errors?: Partial<Record<string, string[]>>;
  message?: string;
}

/**
 * Sudo mode's form: checks the password, renews the window and goes back to `next`. A session that
 * has ended goes to the login page instead, since a login confirms the password too.
 */
export async function confirmPasswordAction(
  _previous: ConfirmPasswordFormState,
  formData: FormData,
): Promise<ConfirmPasswordFormState> {
  const next = safeRedirectPath(readTextField(formData, "next"));
  const parsed = confirmPasswordSchema.safeParse({ password: readTextField(formData, "password") });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Please fix the highlighted field." };
  }
  // Decided inside the try, acted on after it: redirect() throws, and the catch would swallow it.
  let loggedOut = false;
  try {
    const { db } = await getServices();
    const { session, user } = await openMutableSession();
    const result = user
      ? await confirmPassword(db, session, parsed.data.password, await requestGuard())
      : ({ ok: false, reason: "not_logged_in" } as const);
    if (!result.ok) {
      if (result.reason === "wrong_password")
        return { errors: { password: [WRONG_PASSWORD_MESSAGE] }, message: WRONG_PASSWORD_MESSAGE };
      if (result.reason === "rate_limited") return { message: rateLimitedMessage(result.retryAfterSeconds) };
      if (result.reason === "busy") return { message: BUSY_MESSAGE };
      loggedOut = true;
    }
    // The key rotated and the window moved: both reach the browser only through the cookie.
    await commitSession(session);
  } catch (error) {
    const refusal = loadRefusalMessage(error);
    if (refusal) return { message: refusal };
    console.error("[sesame] confirm password failed:", error instanceof Error ? error.name : typeof error);
    return { message: UNEXPECTED };
  }
  redirect(loggedOut ? `/login?next=${encodeURIComponent(next)}` : next);
}

/** The no-JavaScript path of the Log out button; with JavaScript it calls POST /api/auth/logout. */
export async function logoutAction(): Promise<void> {
  const { session } = await openMutableSession();
  await logOut(session);
  await commitSession(session);
  redirect("/login?reason=logged_out");
}
