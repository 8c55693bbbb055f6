import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ChangePasswordForm, DeleteAccountForm } from "@/components/account-forms";
import { SudoNote } from "@/components/sudo-note";
import { Alert, Card, Code, TextLink } from "@/components/ui";
import { passwordFreshness } from "@/lib/next/reauthentication";
import { getAuth } from "@/lib/next/session";
import { getServices } from "@/lib/services";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage(): Promise<ReactNode> {
  const [{ session, user }, { engine }] = await Promise.all([getAuth(), getServices()]);
  if (!user) redirect("/login?next=/account");
  const now = new Date();
  const freshness = await passwordFreshness(session, now);
  // An engine that cannot revoke (the cookie engine) has no row a password change could delete.
  const othersStay = !engine.capabilities.canRevoke;
  const noteId = "change-password-engine-note";
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="text-stone-600 dark:text-stone-400">
          Logged in as <strong className="text-stone-900 dark:text-stone-100">{user.email}</strong>
        </p>
      </header>
      <SudoNote freshness={freshness} actions="Changing your password and deleting your account" now={now} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card id="change-password" title="Change password">
          {othersStay ? (
            <div className="mb-4 flex flex-col gap-3">
              <p className="text-sm text-stone-600 dark:text-stone-400">
                Changing your password gives this session a new key, as Django&apos;s{" "}
                <Code>update_session_auth_hash</Code> does.
              </p>
              <Alert tone="info" id={noteId}>
                <p>
                  <strong className="font-semibold">It will not log out your other sessions.</strong> This server runs{" "}
                  <Code>SESSION_ENGINE={engine.name}</Code>: each session lives only in its own browser&apos;s cookie,
                  and the server keeps no row it could delete. Any other browser where you are logged in stays logged in
                  until its cookie expires.
                </p>
                <p className="mt-2">
                  A server-side engine can end them; compare the engines on{" "}
                  <TextLink href="/backends">Session backends</TextLink>.
                </p>
              </Alert>
            </div>
          ) : (
            <p className="mb-4 text-sm text-stone-600 dark:text-stone-400">
              Changing your password gives this session a new key and logs out every other session, as Django&apos;s{" "}
              <Code>update_session_auth_hash</Code> does; see them on{" "}
              <Link href="/sessions" className="font-medium underline">
                Active sessions
              </Link>
              .
            </p>
          )}
          <ChangePasswordForm email={user.email} noteId={othersStay ? noteId : undefined} />
        </Card>
        <Card id="delete-account" title="Delete account">
          <p className="mb-4 text-sm text-stone-700 dark:text-stone-300">
            This deletes your account and ends every session, on every device.{" "}
            <strong className="text-red-700 dark:text-red-400">It cannot be undone.</strong>
          </p>
          <DeleteAccountForm email={user.email} />
        </Card>
      </div>
    </div>
  );
}
