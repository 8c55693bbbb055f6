import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ActivityTimeline } from "@/components/activity-timeline";
import { Playground } from "@/components/playground";
import { SessionContents } from "@/components/session-contents";
import { Card, Code } from "@/components/ui";
import { getAuth } from "@/lib/next/session";
import { formatDuration, formatTime } from "@/lib/format";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage(): Promise<ReactNode> {
  const { session, user } = await getAuth();
  if (!user) redirect("/login?next=/dashboard");
  const meta = session.metadata;
  const rows: [string, ReactNode][] = meta
    ? [
        ["Key prefix", <Code key="k">{session.keyPrefix}…</Code>],
        ["Created", formatTime(meta.createdAt)],
        ["Last seen", formatTime(meta.lastSeenAt)],
        ["Expires", formatTime(meta.expiresAt)],
        ["Idle timeout", `${formatDuration(session.idleSeconds)}, sliding with activity`],
        ["Absolute limit", formatTime(meta.absoluteExpiresAt)],
        ["Cookie", session.expiresAtBrowserClose ? "Ends when the browser closes" : "Persistent (has Max-Age)"],
      ]
    : [];
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
        <p className="text-stone-600 dark:text-stone-400">
          Logged in as <strong className="text-stone-900 dark:text-stone-100">{user.email}</strong>
        </p>
      </header>
      <div className="grid gap-6 lg:grid-cols-[2fr_3fr]">
        <Card title="Session metadata">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {rows.map(([term, value]) => (
              <div key={term} className="contents">
                <dt className="text-stone-600 dark:text-stone-400">{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-xs text-stone-600 dark:text-stone-400">
            The prefix is of the key&apos;s SHA-256 hash. The key itself lives only in your browser&apos;s cookie.
          </p>
        </Card>
        <Card title="Contents">
          <SessionContents items={session.items()} />
        </Card>
      </div>
      <Card title="Playground">
        <Playground />
      </Card>
      <Card title="Activity">
        <ActivityTimeline events={session.events} />
      </Card>
    </div>
  );
}
