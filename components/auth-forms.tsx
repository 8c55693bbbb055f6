"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { loginAction, registerAction } from "@/app/actions/auth";
import { Button, DjangoHint, Field, FormMessage, TextLink } from "./ui";

export function RegisterForm({ next }: { next?: string }): ReactNode {
  const [state, formAction, pending] = useActionState(registerAction, {});
  const loginHref = next ? `/login?next=${encodeURIComponent(next)}` : "/login";
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage message={state.message} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        defaultValue={state.email}
        errors={state.errors?.email}
        errorAction={state.emailTaken ? <TextLink href={loginHref}>Log in instead?</TextLink> : undefined}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        maxLength={256}
        autoComplete="new-password"
        required
        hint="At least 8 characters, at most 72 bytes. No other rules: a long passphrase is best."
        errors={state.errors?.password}
      />
      <Field
        label="Confirm password"
        name="confirmPassword"
        type="password"
        maxLength={256}
        autoComplete="new-password"
        required
        errors={state.errors?.confirmPassword}
      />
      <div className="flex flex-col gap-1.5">
        <Button type="submit" disabled={pending} aria-busy={pending} aria-describedby="register-django">
          {pending ? "Creating account…" : "Create account"}
        </Button>
        <DjangoHint id="register-django">login(request, user) # after create_user(); calls cycle_key()</DjangoHint>
      </div>
      <p className="text-sm text-stone-600 dark:text-stone-400">
        Already registered?{" "}
        <Link href={loginHref} className="font-medium underline">
          Log in
        </Link>
      </p>
    </form>
  );
}

export function LoginForm({ next }: { next?: string }): ReactNode {
  const [state, formAction, pending] = useActionState(loginAction, {});
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage message={state.message} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        maxLength={254}
        defaultValue={state.email}
        errors={state.errors?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        maxLength={256}
        autoComplete="current-password"
        required
        errors={state.errors?.password}
      />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="remember" className="size-4 accent-emerald-700" />
        Keep me signed in
      </label>
      <div className="flex flex-col gap-1.5">
        <Button type="submit" disabled={pending} aria-busy={pending} aria-describedby="login-django">
          {pending ? "Logging in…" : "Log in"}
        </Button>
        <DjangoHint id="login-django">login(request, user) # calls cycle_key()</DjangoHint>
      </div>
      <p className="text-sm text-stone-600 dark:text-stone-400">
        New here?{" "}
        <Link
          href={next ? `/register?next=${encodeURIComponent(next)}` : "/register"}
          className="font-medium underline"
        >
          Create an account
        </Link>
      </p>
    </form>
  );
}
