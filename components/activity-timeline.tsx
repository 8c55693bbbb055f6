import type { ReactNode } from "react";
import { formatTime } from "@/lib/format";
import type { SessionEvent } from "@/lib/session/store";

const LABELS: Record<SessionEvent["type"], string> = {
  created: "Session created",
  logged_in: "Logged in",
  key_rotated: "Key rotated",
  key_set: "Key set",
  key_deleted: "Key deleted",
  cleared: "All keys cleared",
  expiry_extended: "Expiry extended",
  expiry_changed: "Expiry changed",
  revoked: "Revoked",
};

/** The session's own activity log, newest first. Key names only: values are never logged. */
export function ActivityTimeline({ events }: { events: SessionEvent[] }): ReactNode {
  if (events.length === 0) return <p className="text-sm text-stone-600 dark:text-stone-400">Nothing has happened yet.</p>;
  return (
    <ol aria-label="Session activity" className="flex flex-col gap-2 border-l border-stone-200 pl-4 dark:border-stone-800">
      {[...events].reverse().map((event, index) => (
        <li key={`${event.at}-${index}`} className="relative text-sm">
          <span aria-hidden="true" className="absolute -left-[1.3rem] top-1.5 size-2 rounded-full bg-emerald-600 dark:bg-emerald-400" />
          <span className="font-medium">{LABELS[event.type]}</span>
          {event.detail ? <span className="font-mono text-stone-700 dark:text-stone-300"> {event.detail}</span> : null}
          <time dateTime={event.at} className="block text-xs text-stone-600 dark:text-stone-400">
            {formatTime(new Date(event.at))}
          </time>
        </li>
      ))}
    </ol>
  );
}
