import Link from "next/link";
import type { ReactNode } from "react";
import { Alert, Card, Code } from "@/components/ui";
import { VisitCounter } from "@/components/visit-counter";
import { getAuth } from "@/lib/next/session";

export default async function HomePage({ searchParams }: PageProps<"/">): Promise<ReactNode> {
  const [{ user }, params] = await Promise.all([getAuth(), searchParams]);
  return (
    <div className="flex flex-col gap-8">
      {params.deleted === "1" && !user ? (
        <Alert tone="success">Your account is deleted, and every one of its sessions has ended.</Alert>
      ) : null}
      <section className="flex flex-col gap-4">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Sessions, made visible</h1>
        <p className="max-w-3xl text-lg text-stone-700 dark:text-stone-300">
          Sesame is a small web app that shows how a web session works, the way Django&apos;s session framework does it.
          When you first store something, the server creates a row in its <Code>Session</Code> table and sends your
          browser a cookie. The cookie holds only a sealed random key: no email, no user id, no data.
        </p>
        <p className="max-w-3xl text-stone-700 dark:text-stone-300">
          On every request the server unseals the cookie, hashes the key with SHA-256 and looks up the row with that
          hash. The row holds your data, who you are logged in as, and when the session expires. Logging in gives you a
          new key; logging out deletes the row, so a copied cookie is worthless afterwards.
        </p>
      </section>

      <div className="grid gap-4 sm:grid-cols-2">
        <Card title="Your status">
          {user ? (
            <p>
              You are logged in as <strong>{user.email}</strong>.{" "}
              <Link href="/dashboard" className="font-medium underline">
                Open your dashboard
              </Link>
              .
            </p>
          ) : (
            <p>
              You are not logged in.{" "}
              <Link href="/login" className="font-medium underline">
                Log in
              </Link>{" "}
              or{" "}
              <Link href="/register" className="font-medium underline">
                create an account
              </Link>
              .
            </p>
          )}
        </Card>
        <Card title="Visit counter">
          <VisitCounter />
          <p className="mt-2 text-sm text-stone-600 dark:text-stone-400">
            Kept in your session under the key <Code>visits</Code>. It works before you log in, and logging in keeps it:
            the key rotates, the data stays.
          </p>
        </Card>
      </div>
    </div>
  );
}
