"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import {
  BUSY_MESSAGE,
  changePassword,
  deleteAccount,
  rateLimitedMessage,
  WRONG_PASSWORD_MESSAGE,
  type Busy,
  type RateLimited,
  type ReauthResult,
} from "@/lib/auth/flows";
import { changePasswordFormSchema, deleteAccountSchema } from "@/lib/auth/schemas";
import { readTextField } from "@/lib/http/form-data";
import { loadRefusalMessage } from "@/lib/next/messages";
import { confirmPasswordPath, hasFreshPassword } from "@/lib/next/reauthentication";
import { commitSession, openMutableSession, requestGuard } from "@/lib/next/session";
import { getServices } from "@/lib/services";

export interface AccountFormState {
  ok?: boolean;
  errors?: Partial<Record<string, string[]>>;
  message?: string;
}

const UNEXPECTED = "Something went wrong on our side. Please try again.";
const SESSION_ENDED = "Your session has ended. Log in again to manage your account.";
const FIX_FIELDS = "Please fix the highlighted fields.";
/** The page both forms are on, where /confirm-password sends the visitor back in sudo mode. */
const ACCOUNT_PAGE = "/account";

/** The form state for a refused re-authentication: wrong password, too many tries, or no session. */
function refused(result: Exclude<ReauthResult | RateLimited | Busy, { ok: true }>, field: string): AccountFormState {
  if (result.reason === "wrong_password")
    return { ok: false, errors: { [field]: [WRONG_PASSWORD_MESSAGE] }, message: WRONG_PASSWORD_MESSAGE };
  if (result.reason === "rate_limited") return { ok: false, message: rateLimitedMessage(result.retryAfterSeconds) };
  if (result.reason === "busy") return { ok: false, message: BUSY_MESSAGE };
  return { ok: false, message: SESSION_ENDED };
}

export async function changePasswordAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const parsed = changePasswordFormSchema.safeParse({
    currentPassword: readTextField(formData, "currentPassword"),
    newPassword: readTextField(formData, "newPassword"),
    confirmPassword: readTextField(formData, "confirmPassword"),
  });
  if (!parsed.success) return { ok: false, errors: z.flattenError(parsed.error).fieldErrors, message: FIX_FIELDS };
  let message = "Password changed. Your other sessions have been logged out.";
  // Decided inside the try, acted on after it: redirect() throws, and the catch would swallow it.
  let reauthenticate = false;
  try {
    const { db, settings, engine } = await getServices();
    const { session, user } = await openMutableSession();
    if (!user) return { ok: false, message: SESSION_ENDED };
    reauthenticate = !(await hasFreshPassword(session));
    if (!reauthenticate) {
      if (!engine.capabilities.canRevoke) {
        message = `Password changed. Your other sessions are still logged in: under SESSION_ENGINE=${engine.name} the server cannot end them.`;
      }
      const result = await changePassword(db, session, parsed.data, settings.bcryptCost, await requestGuard());
      if (!result.ok) return refused(result, "currentPassword");
      // The key rotated: without the new cookie this browser would be logged out with the rest.
      await commitSession(session);
    }
  } catch (error) {
    const refusal = loadRefusalMessage(error);
    if (refusal) return { ok: false, message: refusal };
    console.error("[sesame] change password failed:", error instanceof Error ? error.name : typeof error);
    return { ok: false, message: UNEXPECTED };
  }
  if (reauthenticate) redirect(confirmPasswordPath(ACCOUNT_PAGE));
  return { ok: true, message };
}

export async function deleteAccountAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const parsed = deleteAccountSchema.safeParse({ password: readTextField(formData, "password") });
  if (!parsed.success) return { ok: false, errors: z.flattenError(parsed.error).fieldErrors, message: FIX_FIELDS };
  let reauthenticate = false;
  try {
    const { db, forgetUser } = await getServices();
    const { session, user } = await openMutableSession();
    if (!user) return { ok: false, message: SESSION_ENDED };
    reauthenticate = !(await hasFreshPassword(session));
    if (!reauthenticate) {
      const result = await deleteAccount(db, session, parsed.data.password, await requestGuard());
      if (!result.ok) return refused(result, "password");
      forgetUser(user.id);
      await commitSession(session);
    }
  } catch (error) {
    const refusal = loadRefusalMessage(error);
    if (refusal) return { ok: false, message: refusal };
    console.error("[sesame] delete account failed:", error instanceof Error ? error.name : typeof error);
    return { ok: false, message: UNEXPECTED };
  }
  redirect(reauthenticate ? confirmPasswordPath(ACCOUNT_PAGE) : "/?deleted=1");
}
