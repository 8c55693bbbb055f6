import type { ReactNode } from "react";
import { Alert, Code, TextLink } from "./ui";

/** A logged-in user who is not a superuser: refused, and told how one is made. */
export function NotASuperuser(): ReactNode {
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <h1 className="text-3xl font-semibold tracking-tight">Admin is for superusers</h1>
      <Alert tone="error">Your account is not a superuser, so it cannot see or end other people&apos;s sessions.</Alert>
      <p className="text-stone-700 dark:text-stone-300">
        Whoever runs this server makes superusers as Django does, with <Code>npm run createsuperuser</Code>. Your own
        sessions are on <TextLink href="/sessions">Active sessions</TextLink>.
      </p>
    </div>
  );
}
