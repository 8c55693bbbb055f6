import type { ReactNode } from "react";
import { TextLink } from "@/components/ui";
import { formatTime } from "@/lib/format";
import { countOf, type SessionEvent } from "@/lib/session/activity";

const LABELS: Record<SessionEvent["type"], string> = {
  created: "Session created",
  logged_in: "Logged in",
  key_rotated: "Key rotated",
  key_set: "Key set",
  key_deleted: "Key deleted",
  cleared: "All keys cleared",
  expiry_extended: "Expiry extended",
  expiry_changed: "Expiry changed",
  password_confirmed: "Password confirmed",
  revoked: "Revoked",
};

/**
 * The session's own activity log, newest first, one line per stored event (the log folds its own
 * repeats). Key names only: values are never logged. The newest `limit` lines show; `showAllHref`
 * links to the rest.
 */
export function ActivityTimeline({
  events,
  limit = Infinity,
  showAllHref,
}: {
  events: SessionEvent[];
  limit?: number;
  showAllHref?: string;
}): ReactNode {
  if (events.length === 0)
    return <p className="text-sm text-stone-600 dark:text-stone-400">Nothing has happened yet.</p>;
  const lines = [...events].reverse();
  const shown = lines.slice(0, limit);
  return (
    <div className="flex flex-col gap-3">
      <ol
        aria-label="Session activity"
        className="flex flex-col gap-2 border-l border-stone-200 pl-4 dark:border-stone-800"
      >
        {shown.map((event, index) => (
          <li key={`${event.at}-${index}`} className="relative text-sm">
            <span
              aria-hidden="true"
              className="absolute -left-[1.3rem] top-1.5 size-2 rounded-full bg-emerald-600 dark:bg-emerald-400"
            />
            <span className="font-medium">{LABELS[event.type]}</span>
            {event.detail ? (
              <span className="font-mono text-stone-700 dark:text-stone-300"> {event.detail}</span>
            ) : null}
            {countOf(event) > 1 ? (
              <span className="text-stone-600 dark:text-stone-400"> ({countOf(event)} times in a row)</span>
            ) : null}
            <span className="block text-xs text-stone-600 dark:text-stone-400">
              {event.firstAt ? (
                <>
                  <time dateTime={event.firstAt}>{formatTime(new Date(event.firstAt))}</time> to{" "}
                </>
              ) : null}
              <time dateTime={event.at}>{formatTime(new Date(event.at))}</time>
            </span>
          </li>
        ))}
      </ol>
      {shown.length < lines.length && showAllHref ? (
        <p className="text-sm text-stone-600 dark:text-stone-400">
          The newest {shown.length} of {lines.length} lines. <TextLink href={showAllHref}>Show all</TextLink>
        </p>
      ) : null}
    </div>
  );
}
