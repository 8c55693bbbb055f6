import type { Metadata } from "next";
import type { ReactNode } from "react";
import { EndSessionPanel } from "@/components/admin-sessions";
import { NotASuperuser } from "@/components/not-a-superuser";
import { Alert, Badge, Card, CodeLine, Facts, TextLink } from "@/components/ui";
import { describeAdminTarget, findSessionForAdmin } from "@/lib/auth/admin-sessions";
import { audit } from "@/lib/auth/audit";
import { formatTime } from "@/lib/format";
import { checkAdminPage } from "@/lib/next/admin";
import { pythonRepr } from "@/lib/python-repr";
import { getServices } from "@/lib/services";
import { sessionIdLabel } from "@/lib/session/token";
import { describeDevice } from "@/lib/session/user-sessions";

export const metadata: Metadata = { title: "Session · Admin" };

/** One session and its decoded data: Django's `get_decoded()`, for superusers. */
export default async function AdminSessionPage({ params }: PageProps<"/admin/sessions/[id]">): Promise<ReactNode> {
  const { id } = await params;
  const access = await checkAdminPage(`/admin/sessions/${encodeURIComponent(id)}`);
  if (!access.allowed) return <NotASuperuser />;
  const { session, user } = access;
  const { db, engine } = await getServices();
  const detail = engine.capabilities.canList ? await findSessionForAdmin(db, session.store, id, new Date()) : null;
  const back = <TextLink href="/admin/sessions">All sessions</TextLink>;
  if (!detail) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <h1 className="text-3xl font-semibold tracking-tight">No such session</h1>
        <Alert tone="info">
          {engine.capabilities.canList
            ? "No session has this id. It may have ended, or moved to a new id when its user logged in."
            : engine.description.listingNote}
        </Alert>
        <p>{back}</p>
      </div>
    );
  }
  const row = detail.session;
  const label = sessionIdLabel(row.id);
  const owner = row.user?.email ?? "Anonymous";
  audit("admin.session_viewed", {
    userId: user.id,
    tokenHash: session.tokenHash,
    detail: describeAdminTarget(row.id, row.user?.id ?? null),
  });
  const time = (iso: string): ReactNode => <time dateTime={iso}>{formatTime(new Date(iso))}</time>;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <p className="text-sm">{back}</p>
        <h1 className="flex flex-wrap items-center gap-3 text-3xl font-semibold tracking-tight">
          Session <span className="font-mono text-2xl">{label}</span>
          {detail.live ? <Badge tone="success">Live</Badge> : <Badge tone="warning">Expired, not yet cleared</Badge>}
        </h1>
      </header>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Session" id="session-facts">
          <Facts
            columns
            items={[
              { term: "User", value: owner },
              { term: "Session id", value: <span className="font-mono text-xs break-all">{row.id}</span> },
              { term: "Created", value: time(row.createdAt) },
              { term: "Last seen", value: time(row.lastSeenAt) },
              { term: "Expires", value: time(row.expiresAt) },
              {
                term: "Device",
                value: describeDevice(row.userAgent),
                hint: row.userAgent ?? "No user agent was sent",
              },
              { term: "Address", value: row.ip ?? "Unknown" },
              { term: "Data size", value: `${row.dataBytes} bytes`, hint: "UTF-8 JSON" },
            ]}
          />
        </Card>
        <Card title="Decoded data" id="decoded-data" description="What the session holds, as Django's shell shows it.">
          <div className="flex flex-col gap-2">
            <CodeLine>{`>>> Session.objects.get(pk=session_key).get_decoded()\n${pythonRepr(detail.data)}`}</CodeLine>
            <p className="text-xs text-stone-600 dark:text-stone-400">Sesame stores it as JSON:</p>
            <CodeLine>{JSON.stringify(detail.data)}</CodeLine>
          </div>
        </Card>
      </div>
      {row.id === session.id ? (
        <Alert tone="info">This is your own session: log out to end it.</Alert>
      ) : (
        <Card title="End this session">
          <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">
            Deletes the session on the server, so its cookie opens nothing. Its holder&apos;s next visit to the login
            page says an administrator ended it.
          </p>
          <EndSessionPanel id={row.id} summary={`Session ${label} of ${owner}`} />
        </Card>
      )}
    </div>
  );
}
