"use client";

import { useActionState, type ReactNode } from "react";
import { changePasswordAction, deleteAccountAction } from "@/app/actions/account";
import { Button, DjangoHint, Field, FormMessage, UsernameHint } from "./ui";

/** `noteId` names a note the page shows beside the form (the cookie engine's limits), announced with the button. */
export function ChangePasswordForm({ email, noteId }: { email: string; noteId?: string }): ReactNode {
  const [state, formAction, pending] = useActionState(changePasswordAction, {});
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage message={state.message} tone={state.ok ? "success" : "error"} />
      <UsernameHint email={email} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        maxLength={256}
        autoComplete="current-password"
        required
        errors={state.errors?.currentPassword}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        maxLength={256}
        autoComplete="new-password"
        required
        hint="At least 8 characters, at most 72 bytes. No other rules: a long passphrase is best."
        errors={state.errors?.newPassword}
      />
      <Field
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        maxLength={256}
        autoComplete="new-password"
        required
        errors={state.errors?.confirmPassword}
      />
      <div className="flex flex-col items-start gap-1.5">
        <Button
          type="submit"
          disabled={pending}
          aria-busy={pending}
          aria-describedby={noteId ? `${noteId} change-password-django` : "change-password-django"}
        >
          {pending ? "Changing password…" : "Change password"}
        </Button>
        <DjangoHint id="change-password-django">update_session_auth_hash(request, user) # calls cycle_key()</DjangoHint>
      </div>
    </form>
  );
}

export function DeleteAccountForm({ email }: { email: string }): ReactNode {
  const [state, formAction, pending] = useActionState(deleteAccountAction, {});
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage message={state.message} tone={state.ok ? "success" : "error"} />
      <UsernameHint email={email} />
      <Field
        label="Password"
        name="password"
        type="password"
        maxLength={256}
        autoComplete="current-password"
        required
        errors={state.errors?.password}
      />
      <Button type="submit" variant="danger" disabled={pending} aria-busy={pending} className="self-start">
        {pending ? "Deleting account…" : "Delete account"}
      </Button>
    </form>
  );
}
