/** One line of a session's activity log: a step in its life, or a run of identical steps. Never a value. */
export interface SessionEvent {
  /** When it happened; for a run of repeats, when the latest one happened. */
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
    | "password_confirmed"
    | "revoked";
  /** A key name or a short description, never a stored value. */
  detail?: string;
  /** How many times it happened back to back; absent means once. */
  count?: number;
  /** When the first of the repeats happened; absent when only `at` is known. */
  firstAt?: string;
}

/** Words that mark a key name as secret, and random-looking runs (API keys, tokens) within it. */
const SECRET_WORD = /pass(word)?|secret|token|api[_-]?key|private[_-]?key|credential|bearer|authorization/i;
const RANDOM_RUN = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-+/=.]{20,}$/;

/** Key names that look secret are kept out of the activity log, even with a prefix like "stripe:". */
export function keyNameForLog(keyName: string): string {
  const looksSecret = SECRET_WORD.test(keyName) || keyName.split(/[\s:;,|@#]+/).some((part) => RANDOM_RUN.test(part));
  return looksSecret ? "[a key that looks secret]" : keyName;
}

/** The activity log keeps this many lines per session; a run of repeats is one line. */
export const MAX_EVENTS = 50;

/** How many times an event happened in a row. */
export const countOf = (event: SessionEvent): number => event.count ?? 1;

/**
 * Appends events to a stored log, keeping the newest MAX_EVENTS lines. Back-to-back repeats (the
 * same step on the same key) fold into one line with a count, so an hour of activity does not push
 * "created" and "logged in" out of the log. This is the only place the log is folded.
 */
export function appendEvents(stored: SessionEvent[], added: SessionEvent[]): SessionEvent[] {
  if (added.length === 0) return stored;
  const log = [...stored];
  for (const event of added) {
    const last = log.at(-1);
    if (last && repeats(last, event)) {
      // A run that began before firstAt was recorded keeps its start unknown rather than wrong.
      const firstAt = countOf(last) === 1 ? last.at : last.firstAt;
      log[log.length - 1] = {
        ...event,
        count: countOf(last) + countOf(event),
        ...(firstAt === undefined ? {} : { firstAt }),
      };
    } else {
      log.push(event);
    }
  }
  return log.slice(-MAX_EVENTS);
}

/**
 * A log as a store decoded it, in today's shape. Older rows wrote a run of expiry extensions as
 * `detail: "3 times"` and left other repeats unfolded; both come back as counted lines.
 */
export function normalizeEvents(stored: SessionEvent[]): SessionEvent[] {
  // Every load passes here: a log already in today's shape is returned as it is, without copying.
  const current = stored.every((event, i) => legacyCount(event) === undefined && !repeats(stored[i - 1], event));
  return current ? stored : appendEvents([], stored.map(normalizeEvent));
}

const repeats = (previous: SessionEvent | undefined, event: SessionEvent): boolean =>
  previous?.type === event.type && previous.detail === event.detail;

function legacyCount(event: SessionEvent): string | undefined {
  return event.type === "expiry_extended" ? /^(\d+) times$/.exec(event.detail ?? "")?.[1] : undefined;
}

function normalizeEvent(event: SessionEvent): SessionEvent {
  const times = legacyCount(event);
  if (times === undefined) return event;
  const { detail: _legacyCount, ...rest } = event;
  return { ...rest, count: Number(times) };
}
