import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ActivityTimeline } from "@/components/activity-timeline";
import { ExpiryPanel } from "@/components/expiry-panel";
import { SessionInspector } from "@/components/inspector";
import { Playground } from "@/components/playground";
import { sessionFacts } from "@/lib/next/session-facts";
import { Card, TextLink } from "@/components/ui";
import { getAuth } from "@/lib/next/session";

export const metadata: Metadata = { title: "Dashboard" };

/** Activity lines shown before "Show all": the log keeps 50 events, and the page should stay light. */
const RECENT_ACTIVITY = 12;

export default async function DashboardPage({ searchParams }: PageProps<"/dashboard">): Promise<ReactNode> {
  const { session, user } = await getAuth();
  const allActivity = (await searchParams).activity === "all";
  if (!user) redirect("/login?next=/dashboard");
  const facts = await sessionFacts(session);
  return (
    <div className="flex flex-col gap-8">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Dashboard</h1>
        <p className="text-stone-600 dark:text-stone-400">
          Logged in as <strong className="break-all text-stone-900 dark:text-stone-100">{user.email}</strong>. New to
          sessions? <TextLink href="/how-it-works">See how it works</TextLink>, step by step.
        </p>
      </header>
      <SessionInspector facts={facts} />
      <ExpiryPanel facts={facts} />
      <Card
        id="playground"
        title="Playground"
        description="Each button makes one call on your session in a server action, shown as the Sesame line and the Django line for the same step."
      >
        <Playground />
      </Card>
      <Card id="activity" title="Activity">
        <ActivityTimeline
          events={session.events}
          limit={allActivity ? Infinity : RECENT_ACTIVITY}
          showAllHref="/dashboard?activity=all#activity"
        />
      </Card>
    </div>
  );
}
