"use client";

import { useActionState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import {
  revokeAllSessionsAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
  type SessionsActionState,
} from "@/app/actions/sessions";
import type { SessionSummary } from "@/lib/session/user-sessions";
import { Alert, Button, cx, DjangoHint } from "./ui";

/** A session as the page lists it: the summary plus its times already formatted on the server. */
export interface SessionRow extends SessionSummary {
  createdLabel: string;
  lastSeenLabel: string;
  expiresLabel: string;
}

function StatusMessage({
  state,
  pending,
  pendingText,
}: {
  state: SessionsActionState | undefined;
  pending: boolean;
  pendingText: string;
}): ReactNode {
  // Always rendered, so screen readers announce the message when it appears.
  return (
    <div aria-live="polite" role="status">
      {pending ? (
        <p className="mt-3 text-sm text-stone-600 dark:text-stone-400">{pendingText}</p>
      ) : state ? (
        <div className="mt-3">
          <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
        </div>
      ) : null}
    </div>
  );
}

/** Keeps its name "Revoke" while pending, so the row it belongs to stays clear; the status region says what is happening. */
function RevokeButton({ describedBy }: { describedBy: string }): ReactNode {
  const { pending } = useFormStatus();
  return (
    <Button
      type="submit"
      variant="secondary"
      disabled={pending}
      aria-busy={pending}
      aria-describedby={describedBy}
      className="w-full sm:w-auto"
    >
      {pending ? (
        <span
          aria-hidden="true"
          className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
      ) : null}
      Revoke
    </Button>
  );
}

function SessionItem({ row, revoke }: { row: SessionRow; revoke: (formData: FormData) => void }): ReactNode {
  const summaryId = `session-${row.id}-summary`;
  const details: [string, ReactNode][] = [
    [
      "IP address",
      <span key="ip" className="break-all">
        {row.ip ?? "Unknown"}
      </span>,
    ],
    [
      "Created",
      <time key="c" dateTime={row.createdAt}>
        {row.createdLabel}
      </time>,
    ],
    [
      "Last active",
      <time key="l" dateTime={row.lastSeenAt}>
        {row.lastSeenLabel}
      </time>,
    ],
    [
      "Expires",
      <time key="e" dateTime={row.expiresAt}>
        {row.expiresLabel}
      </time>,
    ],
  ];
  return (
    <li
      className={cx(
        "flex flex-col gap-3 rounded-lg border p-4 sm:flex-row sm:items-start sm:justify-between",
        row.current
          ? "border-emerald-300 bg-emerald-50/60 dark:border-emerald-800 dark:bg-emerald-950/40"
          : "border-stone-200 dark:border-stone-800",
      )}
    >
      <div className="flex min-w-0 flex-col gap-2">
        <h3 className="flex flex-wrap items-center gap-2 font-medium">
          <span className="break-words">{row.device}</span>
          {row.current ? (
            <span className="rounded-full bg-emerald-700 px-2 py-0.5 text-xs font-medium text-white dark:bg-emerald-700">
              This device
            </span>
          ) : null}
        </h3>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {details.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="text-stone-600 dark:text-stone-400">{term}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      {row.current ? null : (
        <form action={revoke} className="shrink-0">
          <input type="hidden" name="id" value={row.id} />
          {/* Outside the button, so its accessible name stays exactly "Revoke". */}
          <span id={summaryId} className="sr-only">
            {`${row.device}, IP address ${row.ip ?? "unknown"}, last active ${row.lastSeenLabel}`}
          </span>
          <RevokeButton describedBy={`${summaryId} ${REVOKE_HINT_ID}`} />
        </form>
      )}
    </li>
  );
}

/** The Django line under the list, announced with every Revoke button. */
const REVOKE_HINT_ID = "revoke-django";

/** Every live session of the user, this one first, with a Revoke button on each of the others. */
export function SessionList({ sessions }: { sessions: SessionRow[] }): ReactNode {
  const [state, revoke, pending] = useActionState<SessionsActionState | undefined, FormData>(
    revokeSessionAction,
    undefined,
  );
  const others = sessions.filter((row) => !row.current).length;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <p className="text-sm text-stone-700 dark:text-stone-300">
          {sessions.length} active session{sessions.length === 1 ? "" : "s"}: this device
          {others === 0 ? " only." : ` and ${others} other${others === 1 ? "" : "s"}.`}
        </p>
        <StatusMessage state={state} pending={pending} pendingText="Revoking the session…" />
      </div>
      <ul aria-label="Your sessions" className="flex flex-col gap-3">
        {sessions.map((row) => (
          <SessionItem key={row.id} row={row} revoke={revoke} />
        ))}
      </ul>
      {others > 0 ? (
        <DjangoHint id={REVOKE_HINT_ID}>
          SessionStore(session_key).delete() # what Revoke does to that session
        </DjangoHint>
      ) : null}
      {others === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 p-4 text-sm text-stone-600 dark:border-stone-700 dark:text-stone-400">
          No other sessions: you are not logged in anywhere else.
        </p>
      ) : null}
    </div>
  );
}

/** "Log out other sessions" keeps this one; "Log out everywhere" ends it too and goes to the login page. */
export function LogOutElsewhere(): ReactNode {
  const [othersState, logOutOthers, othersPending] = useActionState<SessionsActionState | undefined, FormData>(
    revokeOtherSessionsAction,
    undefined,
  );
  const [allState, logOutAll, allPending] = useActionState<SessionsActionState | undefined, FormData>(
    revokeAllSessionsAction,
    undefined,
  );
  const busy = othersPending || allPending;
  return (
    <div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <form action={logOutOthers}>
          <Button
            type="submit"
            variant="secondary"
            disabled={busy}
            aria-busy={othersPending}
            className="w-full sm:w-auto"
          >
            {othersPending ? "Logging out other sessions…" : "Log out other sessions"}
          </Button>
        </form>
        <form action={logOutAll}>
          <Button type="submit" variant="danger" disabled={busy} aria-busy={allPending} className="w-full sm:w-auto">
            {allPending ? "Logging out everywhere…" : "Log out everywhere"}
          </Button>
        </form>
      </div>
      <StatusMessage state={allState ?? othersState} pending={busy} pendingText="Logging out…" />
    </div>
  );
}
