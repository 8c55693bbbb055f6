"use client";

import { useActionState, type ReactNode } from "react";
import { confirmPasswordAction, type ConfirmPasswordFormState } from "@/app/actions/auth";
import { Alert, Button, DjangoHint, Field } from "./ui";

function FormMessage({ state }: { state: ConfirmPasswordFormState }): ReactNode {
  // Always present, so screen readers announce a message when it appears; empty, it takes no room.
  return (
    <div aria-live="polite" role="status" className="empty:absolute">
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
    </div>
  );
}

/** Sudo mode's password prompt: on success the action goes back to `next`. */
export function ConfirmPasswordForm({ email, next }: { email: string; next: string }): ReactNode {
  const [state, formAction, pending] = useActionState(confirmPasswordAction, {});
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="next" value={next} />
      {/* Lets password managers tell which account the password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        label="Password"
        name="password"
        type="password"
        maxLength={256}
        autoComplete="current-password"
        required
        errors={state.errors?.password}
      />
      <div className="flex flex-col items-start gap-1.5">
        <Button type="submit" disabled={pending} aria-busy={pending} aria-describedby="confirm-password-django">
          {pending ? "Confirming…" : "Confirm password"}
        </Button>
        <DjangoHint id="confirm-password-django">
          @sudo_required # django-sudo; Laravel: -&gt;middleware(&apos;password.confirm&apos;)
        </DjangoHint>
      </div>
    </form>
  );
}
