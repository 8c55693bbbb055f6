/**
 * The race lab's moves, run in the browser against the real JSON API: the same requests any client
 * could send, so what survives is what the session engine really keeps. No React here, so the
 * counting can be tested on its own (tests/unit/race-lab.test.ts).
 */

export const RACE_WRITES = { min: 2, max: 50, default: 20 } as const;

/** Written once, alone, before the race: the visitor then has a stored session for every racer to share. */
export const RACE_MARKER_KEY = "race";

/** `race-1` … `race-N`: a prefix no other page writes, so the count never includes the visitor's own keys. */
export function raceKey(index: number): string {
  return `race-${index}`;
}

export function isRaceKey(key: string): boolean {
  return /^race-\d+$/.test(key);
}

export type WriteCount = { ok: true; count: number } | { ok: false; message: string };

/** The number of parallel writes the visitor typed, or why it cannot be raced. */
export function parseWriteCount(input: string): WriteCount {
  const text = input.trim();
  const message = `Choose a whole number of parallel writes from ${RACE_WRITES.min} to ${RACE_WRITES.max}.`;
  if (!/^\d+$/.test(text)) return { ok: false, message };
  const count = Number(text);
  if (count < RACE_WRITES.min || count > RACE_WRITES.max) {
    return { ok: false, message: `${message} ${count} is out of range.` };
  }
  return { ok: true, count };
}

export interface RaceWrite {
  key: string;
  /** Milliseconds after the race started, as the browser measured them. */
  startedMs: number;
  endedMs: number;
  /** The HTTP status, or null when the request never got an answer. */
  status: number | null;
  /** Whether the key was in the session read back after the race. */
  survived: boolean;
}

export interface RaceResult {
  count: number;
  survived: number;
  writes: RaceWrite[];
}

/** What the API said when a step of the lab failed (a full session, too many new sessions…). */
export class RaceError extends Error {}

export interface RaceClient {
  fetch: typeof fetch;
  now: () => number;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

async function failure(step: string, response: Response): Promise<RaceError> {
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  const reason = typeof body?.message === "string" ? body.message : `HTTP ${response.status}`;
  return new RaceError(`${step} failed: ${reason}`);
}

async function readSessionKeys(client: RaceClient, step: string): Promise<string[]> {
  const response = await client.fetch("/api/session", { cache: "no-store" });
  if (!response.ok) throw await failure(step, response);
  const view = (await response.json()) as { session: { data: Record<string, unknown> } | null };
  return Object.keys(view.session?.data ?? {});
}

function putKey(client: RaceClient, key: string, value: unknown): Promise<Response> {
  return client.fetch(`/api/session/keys/${encodeURIComponent(key)}`, {
    method: "PUT",
    headers: JSON_HEADERS,
    body: JSON.stringify({ value }),
  });
}

/**
 * Clears the last race's keys and writes the marker, one request at a time, then fires `count`
 * writes of different keys at once and reads the session back to see which kept their change.
 */
export async function runRace(count: number, client: RaceClient): Promise<RaceResult> {
  // One at a time: parallel deletes would race each other, and leftovers would inflate the count.
  for (const key of (await readSessionKeys(client, "Reading your session")).filter(isRaceKey)) {
    const response = await client.fetch(`/api/session/keys/${encodeURIComponent(key)}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) throw await failure(`Clearing ${key}`, response);
  }
  // Without a stored session, each racer would start a session of its own and the race would be meaningless.
  const marker = await putKey(client, RACE_MARKER_KEY, { writes: count, at: new Date().toISOString() });
  if (!marker.ok) throw await failure("Writing the race marker", marker);

  const start = client.now();
  const timed = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const key = raceKey(index + 1);
      const startedMs = client.now() - start;
      const status = await putKey(client, key, index + 1).then(
        (response) => response.status,
        () => null,
      );
      return { key, startedMs, endedMs: client.now() - start, status };
    }),
  );

  const kept = new Set(await readSessionKeys(client, "Reading your session back"));
  const writes = timed.map((write) => ({ ...write, survived: kept.has(write.key) }));
  return { count, survived: writes.filter((write) => write.survived).length, writes };
}
