import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ChangePasswordForm, DeleteAccountForm } from "@/components/account-forms";
import { Card, Code } from "@/components/ui";
import { getAuth } from "@/lib/next/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage(): Promise<ReactNode> {
  const { user } = await getAuth();
  if (!user) redirect("/login?next=/account");
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="text-stone-600 dark:text-stone-400">
          Logged in as <strong className="text-stone-900 dark:text-stone-100">{user.email}</strong>
        </p>
      </header>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Change password">
          <p className="mb-4 text-sm text-stone-600 dark:text-stone-400">
            Changing your password gives this session a new key and logs out every other session, as Django&apos;s{" "}
            <Code>update_session_auth_hash</Code> does; see them on{" "}
            <Link href="/sessions" className="font-medium underline">
              Active sessions
            </Link>
            .
          </p>
          <ChangePasswordForm email={user.email} />
        </Card>
        <Card title="Delete account">
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
