/** One step in a session's life, as its activity log shows it. Never a value. */
export interface SessionEvent {
  at: string;
  type:
    | "created"
    | "logged_in"
    | "key_rotated"
    | "key_set"
    | "key_deleted"
    | "cleared"
    | "expiry_extended"
    | "expiry_changed"
    | "revoked";
  /** A key name or a short description, never a stored value. */
  detail?: string;
}

/** The activity log keeps this many events per session. */
export const MAX_EVENTS = 50;

/**
 * Appends events to a stored log, keeping the newest MAX_EVENTS. Back-to-back expiry extensions
 * fold into one, so an hour of activity does not push "created" and "logged in" out of the log.
 */
export function appendEvents(stored: SessionEvent[], added: SessionEvent[]): SessionEvent[] {
  if (added.length === 0) return stored;
  const log = [...stored];
  for (const event of added) {
    const last = log.at(-1);
    if (event.type === "expiry_extended" && last?.type === "expiry_extended") {
      const count = Number(/^(\d+) times$/.exec(last.detail ?? "")?.[1] ?? 1) + 1;
      log[log.length - 1] = { ...event, detail: `${count} times` };
    } else {
      log.push(event);
    }
  }
  return log.slice(-MAX_EVENTS);
}

