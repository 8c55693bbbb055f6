"use client";

import { useActionState, type ReactNode } from "react";
import { confirmPasswordAction } from "@/app/actions/auth";
import { Button, DjangoHint, Field, FormMessage, UsernameHint } from "./ui";

/** Sudo mode's password prompt: on success the action goes back to `next`. */
export function ConfirmPasswordForm({ email, next }: { email: string; next: string }): ReactNode {
  const [state, formAction, pending] = useActionState(confirmPasswordAction, {});
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage message={state.message} />
      <input type="hidden" name="next" value={next} />
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
