import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AdminSessionTable, type AdminTableRow } from "@/components/admin-sessions";
import { NotASuperuser } from "@/components/not-a-superuser";
import { Alert, Button, Card, Code, cx, DjangoHint, linkClass, TextLink } from "@/components/ui";
import {
  ADMIN_PAGE_SIZE,
  adminListingQuerySchema,
  listSessionsForAdmin,
  MAX_FILTERED_ACCOUNTS,
  type AdminListingQuery,
} from "@/lib/auth/admin-sessions";
import { audit } from "@/lib/auth/audit";
import { formatTime } from "@/lib/format";
import { checkAdminPage } from "@/lib/next/admin";
import { getServices } from "@/lib/services";
import { SESSION_ID_SHAPE, sessionIdLabel } from "@/lib/session/token";
import { describeDevice } from "@/lib/session/user-sessions";

export const metadata: Metadata = { title: "Sessions · Admin" };

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value || undefined;

/** Django's admin for the Session table: every live session of every user, for superusers. */
export default async function AdminSessionsPage({ searchParams }: PageProps<"/admin/sessions">): Promise<ReactNode> {
  const params = await searchParams;
  const parsed = adminListingQuerySchema.safeParse({ email: first(params.email), page: first(params.page) });
  const query: AdminListingQuery = parsed.success ? parsed.data : { email: undefined, page: 1 };
  const access = await checkAdminPage(`/admin/sessions${searchOf(query)}`);
  if (!access.allowed) return <NotASuperuser />;
  const { session, user } = access;
  const { db, engine } = await getServices();
  const ended = first(params.ended);

  const intro = (
    <header className="flex max-w-3xl flex-col gap-2">
      <h1 className="text-3xl font-semibold tracking-tight">Sessions</h1>
      <p className="text-stone-700 dark:text-stone-300">
        Every live session of every user, newest first, as Django&apos;s admin lists the <Code>Session</Code> table.
        Only superusers see this page; everything done here goes to the audit log.
      </p>
      <DjangoHint>Session.objects.filter(expire_date__gt=timezone.now()).order_by(&quot;-pk&quot;)</DjangoHint>
    </header>
  );

  if (!engine.capabilities.canList) {
    return (
      <div className="flex flex-col gap-6">
        {intro}
        <Card title="Sessions in browsers cannot be listed">
          <Alert tone="info">
            This server runs <Code>SESSION_ENGINE={engine.name}</Code>. {engine.description.listingNote}
          </Alert>
          <p className="mt-3 text-sm text-stone-600 dark:text-stone-400">
            Run a server-side engine (<Code>db</Code>, the default) to list and end sessions here; compare them on{" "}
            <TextLink href="/backends">Session backends</TextLink>.
          </p>
        </Card>
      </div>
    );
  }

  const listing = await listSessionsForAdmin(db, session.store, query, new Date());
  audit("admin.sessions_listed", {
    userId: user.id,
    tokenHash: session.tokenHash,
    ...(query.email ? { email: query.email } : {}),
    detail: `page ${query.page}`,
  });
  const rows: AdminTableRow[] = listing.ok
    ? listing.sessions.map((row) => ({
        ...row,
        label: sessionIdLabel(row.id),
        device: describeDevice(row.userAgent),
        createdLabel: formatTime(new Date(row.createdAt)),
        lastSeenLabel: formatTime(new Date(row.lastSeenAt)),
        expiresLabel: formatTime(new Date(row.expiresAt)),
        dataLabel: `${row.dataBytes} bytes`,
        current: row.id === session.id,
      }))
    : [];

  return (
    <div className="flex flex-col gap-6">
      {intro}
      {ended && SESSION_ID_SHAPE.test(ended) ? (
        <div role="status">
          <Alert tone="success">
            Session {sessionIdLabel(ended)} ended. Its holder&apos;s next visit to the login page says an administrator
            ended it.
          </Alert>
        </div>
      ) : null}
      <Card title="Live sessions">
        <form method="get" action="/admin/sessions" role="search" className="mb-4 flex flex-wrap items-end gap-2">
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor="admin-email-filter" className="text-sm font-medium">
              Filter by email
            </label>
            <input
              id="admin-email-filter"
              name="email"
              type="search"
              defaultValue={query.email ?? ""}
              maxLength={254}
              aria-describedby={parsed.success ? undefined : "admin-filter-error"}
              placeholder="part of an address"
              className="w-72 max-w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm dark:border-stone-700 dark:bg-stone-950"
            />
          </div>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
          {query.email ? (
            <Link href="/admin/sessions" className={cx(linkClass, "py-2 text-sm")}>
              Show all sessions
            </Link>
          ) : null}
        </form>
        {parsed.success ? null : (
          <div className="mb-4">
            <Alert tone="error" id="admin-filter-error">
              {parsed.error.issues[0]?.message ?? "That filter could not be read."} Showing the first page of every
              session instead.
            </Alert>
          </div>
        )}
        {!listing.ok ? (
          <Alert tone="error">
            More than {MAX_FILTERED_ACCOUNTS} accounts contain “{query.email}”. Type more of the address.
          </Alert>
        ) : (
          <>
            <p className="mb-3 text-sm text-stone-700 dark:text-stone-300">{countLine(listing.total, query.email)}</p>
            <AdminSessionTable
              rows={rows}
              empty={
                listing.total > 0
                  ? "This page is past the last one."
                  : query.email
                    ? "No live session belongs to an account with that email."
                    : "No live sessions."
              }
            />
            <Pagination query={query} pageCount={listing.pageCount} />
          </>
        )}
      </Card>
    </div>
  );
}

function countLine(total: number, email: string | undefined): string {
  const sessions = `${total} live session${total === 1 ? "" : "s"}`;
  return email ? `${sessions} of accounts whose email contains “${email}”.` : `${sessions} in all.`;
}

function searchOf({ email, page }: AdminListingQuery): string {
  const search = new URLSearchParams();
  if (email) search.set("email", email);
  if (page > 1) search.set("page", String(page));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Previous and Next, and where the reader is; a page of ADMIN_PAGE_SIZE sessions each. */
function Pagination({ query, pageCount }: { query: AdminListingQuery; pageCount: number }): ReactNode {
  if (pageCount <= 1 && query.page === 1) return null;
  const previous = query.page > 1 ? Math.min(query.page - 1, pageCount) : null;
  const next = query.page < pageCount ? query.page + 1 : null;
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center gap-4 text-sm">
      {previous ? (
        <Link href={`/admin/sessions${searchOf({ ...query, page: previous })}`} className={linkClass}>
          Previous page
        </Link>
      ) : null}
      <span aria-current="page">
        Page {query.page} of {pageCount} ({ADMIN_PAGE_SIZE} a page)
      </span>
      {next ? (
        <Link href={`/admin/sessions${searchOf({ ...query, page: next })}`} className={linkClass}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
