import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { LogOutElsewhere, SessionList, type SessionRow } from "@/components/session-list";
import { SudoNote } from "@/components/sudo-note";
import { Alert, Card, Code, Facts, TextLink } from "@/components/ui";
import { formatTime } from "@/lib/format";
import { passwordFreshness } from "@/lib/next/reauthentication";
import { getAuth } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { listUserSessions, type SessionSummary } from "@/lib/session/user-sessions";

export const metadata: Metadata = { title: "Active sessions" };

export default async function SessionsPage(): Promise<ReactNode> {
  const { session, user } = await getAuth();
  if (!user) redirect("/login?next=/sessions");
  const { engine } = await getServices();
  const now = new Date();
  const sessions = await listUserSessions(session, now);
  const note = engine.description.listingNote;
  if (note) return <UnlistedSessions engineName={engine.name} note={note} current={sessions[0] ?? null} />;
  // Formatted here, so the browser renders exactly what the server did.
  const rows: SessionRow[] = sessions.map((summary) => ({
    ...summary,
    createdLabel: formatTime(new Date(summary.createdAt)),
    lastSeenLabel: formatTime(new Date(summary.lastSeenAt)),
    expiresLabel: formatTime(new Date(summary.expiresAt)),
  }));
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Active sessions</h1>
        <p className="text-stone-600 dark:text-stone-400">
          Every browser where you are logged in has its own session row. Revoking one deletes its row, so that
          browser&apos;s cookie opens nothing any more.
        </p>
      </header>
      <SudoNote
        freshness={await passwordFreshness(session, now)}
        actions="Revoking another session and logging out elsewhere"
        now={now}
      />
      <Card title="Your sessions">
        <SessionList sessions={rows} />
      </Card>
      <Card title="Log out elsewhere">
        <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">
          Lost a device, or used a shared computer? End every other session at once, or every session including this
          one.
        </p>
        <LogOutElsewhere />
      </Card>
    </div>
  );
}

/** An engine that cannot list has no list to show and nothing to revoke: say so, and show this session. */
function UnlistedSessions({
  engineName,
  note,
  current: summary,
}: {
  engineName: string;
  note: string;
  current: SessionSummary | null;
}): ReactNode {
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Active sessions</h1>
        <p className="text-stone-600 dark:text-stone-400">
          This server keeps sessions in their cookies (<Code>SESSION_ENGINE={engineName}</Code>), so it cannot list or
          revoke them.
        </p>
      </header>
      <Card title="Why there is no list">
        <Alert tone="info">{note}</Alert>
        <p className="mt-3 text-sm text-stone-600 dark:text-stone-400">
          Compare the engines on <TextLink href="/backends">Session backends</TextLink>, or see a copied cookie outlive
          a logout in the <TextLink href="/lab/stolen-cookie">stolen-cookie lab</TextLink> and parallel writes get lost
          in the <TextLink href="/lab/race">race lab</TextLink>.
        </p>
      </Card>
      {summary ? (
        <Card title="This session">
          <Facts
            columns
            items={[
              { term: "Device", value: summary.device },
              { term: "IP address", value: summary.ip ?? "Unknown" },
              {
                term: "Created",
                value: <time dateTime={summary.createdAt}>{formatTime(new Date(summary.createdAt))}</time>,
              },
              {
                term: "Expires",
                value: <time dateTime={summary.expiresAt}>{formatTime(new Date(summary.expiresAt))}</time>,
              },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
