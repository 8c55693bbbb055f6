"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { endSessionAction, type AdminActionState } from "@/app/actions/admin";
import type { AdminSessionRow } from "@/lib/auth/admin-sessions";
import { Alert, Button, cx, DjangoHint, linkClass } from "./ui";

/** A session as the admin table shows it: the row plus what the server formatted, so both render alike. */
export interface AdminTableRow extends AdminSessionRow {
  label: string;
  device: string;
  createdLabel: string;
  lastSeenLabel: string;
  expiresLabel: string;
  dataLabel: string;
  /** The admin's own session: ending it is logging out, which the header's button does. */
  current: boolean;
}

function ActionStatus({ state, pending }: { state: AdminActionState | undefined; pending: boolean }): ReactNode {
  // Always rendered, so screen readers announce the message when it appears.
  return (
    <div aria-live="polite" role="status">
      {pending ? (
        <p className="text-sm text-stone-600 dark:text-stone-400">Ending the session…</p>
      ) : state ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
    </div>
  );
}

/** Keeps its name while pending, so the row it belongs to stays clear; the status region says what happens. */
function EndButton({ describedBy }: { describedBy: string }): ReactNode {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant="danger" disabled={pending} aria-busy={pending} aria-describedby={describedBy}>
      {pending ? (
        <span
          aria-hidden="true"
          className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
      ) : null}
      End session
    </Button>
  );
}

const END_HINT_ID = "end-session-django";

function EndSessionForm({
  id,
  describedBy,
  returnTo,
  action,
}: {
  id: string;
  describedBy: string;
  returnTo: "list" | "detail";
  action: (formData: FormData) => void;
}): ReactNode {
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <EndButton describedBy={`${describedBy} ${END_HINT_ID}`} />
    </form>
  );
}

const cell = "px-3 py-2 align-top";

/** "3 Dec 2026, 09:19:29 UTC" as two lines, date over time, so five columns of times fit one screen. */
function Time({ iso, label }: { iso: string; label: string }): ReactNode {
  const [date, clock] = label.split(", ");
  return (
    <time dateTime={iso} className="whitespace-nowrap">
      <span className="block">{date}</span>
      <span className="block text-xs text-stone-600 dark:text-stone-400">{clock}</span>
    </time>
  );
}

/**
 * Every live session on this page, newest first, each with View and End session; `empty` when there
 * are none. The status stays mounted when the last row goes, so it can say that row was ended.
 */
export function AdminSessionTable({ rows, empty }: { rows: AdminTableRow[]; empty: string }): ReactNode {
  const [state, action, pending] = useActionState<AdminActionState | undefined, FormData>(endSessionAction, undefined);
  return (
    <div className="flex flex-col gap-3">
      <ActionStatus state={state} pending={pending} />
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 p-4 text-sm text-stone-600 dark:border-stone-700 dark:text-stone-400">
          {empty}
        </p>
      ) : (
        <SessionTable rows={rows} action={action} />
      )}
    </div>
  );
}

function SessionTable({ rows, action }: { rows: AdminTableRow[]; action: (formData: FormData) => void }): ReactNode {
  return (
    <>
      {/*
        Focusable, so a keyboard can scroll the table sideways on a narrow screen. Positioned, so the
        rows' screen-reader-only text (absolutely positioned) is clipped here instead of widening the page.
      */}
      <div
        role="region"
        aria-labelledby="admin-sessions-caption"
        tabIndex={0}
        className="relative overflow-x-auto rounded-lg border border-stone-200 dark:border-stone-800"
      >
        <table className="w-full min-w-[52rem] text-left text-sm">
          <caption id="admin-sessions-caption" className="sr-only">
            Live sessions, newest first
          </caption>
          <thead className="bg-stone-50 text-xs tracking-wide text-stone-600 uppercase dark:bg-stone-800/60 dark:text-stone-300">
            <tr>
              {["User and device", "Session", "Created", "Last seen", "Expires", "Data"].map((heading) => (
                <th key={heading} scope="col" className={cx(cell, "font-medium")}>
                  {heading}
                </th>
              ))}
              <th scope="col" className={cx(cell, "font-medium")}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-200 dark:divide-stone-800">
            {rows.map((row) => {
              const summaryId = `admin-session-${row.id}`;
              const owner = row.user?.email ?? "Anonymous";
              return (
                <tr key={row.id}>
                  <td className={cx(cell, "min-w-[13rem]")}>
                    <span
                      className={cx("block wrap-anywhere", !row.user && "text-stone-600 italic dark:text-stone-400")}
                    >
                      {owner}
                    </span>
                    <span className="block text-xs text-stone-600 dark:text-stone-400">{row.device}</span>
                    <span className="block text-xs wrap-anywhere text-stone-600 dark:text-stone-400">
                      {row.ip ?? "Unknown address"}
                    </span>
                  </td>
                  <td className={cx(cell, "whitespace-nowrap")}>
                    <Link
                      href={`/admin/sessions/${encodeURIComponent(row.id)}`}
                      className={cx(linkClass, "font-mono text-xs")}
                      aria-label={`View session ${row.label} of ${owner}`}
                    >
                      {row.label}
                    </Link>
                    {row.current ? <span className="mt-1 block text-xs">This session</span> : null}
                  </td>
                  <td className={cell}>
                    <Time iso={row.createdAt} label={row.createdLabel} />
                  </td>
                  <td className={cell}>
                    <Time iso={row.lastSeenAt} label={row.lastSeenLabel} />
                  </td>
                  <td className={cell}>
                    <Time iso={row.expiresAt} label={row.expiresLabel} />
                  </td>
                  <td className={cx(cell, "whitespace-nowrap")}>{row.dataLabel}</td>
                  <td className={cx(cell, "whitespace-nowrap")}>
                    <span id={summaryId} className="sr-only">
                      {`Session ${row.label} of ${owner}, last seen ${row.lastSeenLabel}`}
                    </span>
                    {row.current ? (
                      <span className="text-xs text-stone-600 dark:text-stone-400">Use Log out</span>
                    ) : (
                      <EndSessionForm id={row.id} describedBy={summaryId} returnTo="list" action={action} />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <DjangoHint id={END_HINT_ID}>Session.objects.get(pk=session_key).delete() # what End session does</DjangoHint>
    </>
  );
}

/** The detail page's End session: on success the action goes back to the list, which says so. */
export function EndSessionPanel({ id, summary }: { id: string; summary: string }): ReactNode {
  const [state, action, pending] = useActionState<AdminActionState | undefined, FormData>(endSessionAction, undefined);
  return (
    <div className="flex flex-col gap-3">
      <span id="end-session-summary" className="sr-only">
        {summary}
      </span>
      <EndSessionForm id={id} describedBy="end-session-summary" returnTo="detail" action={action} />
      <DjangoHint id={END_HINT_ID}>Session.objects.get(pk=session_key).delete() # what End session does</DjangoHint>
      <ActionStatus state={state} pending={pending} />
    </div>
  );
}
