/**
 * Independent oracles for the fuzz suite: what the server should answer to a given input,
 * computed from the documented rules (README's JSON API table, lib/session/json.ts limits)
 * rather than by calling the code under test. The zod schemas themselves are shared with the
 * app on purpose: they are the specification both the forms and the API are meant to follow.
 */

/** readJsonBody refuses bodies over 128 KiB. */
export const MAX_BODY_BYTES = 128 * 1024;
/** A session holds at most 64 KiB of JSON. */
export const MAX_DATA_BYTES = 64 * 1024;
/** Session keys are 1 to 128 characters (code points), and never "__proto__". */
export const MAX_KEY_LENGTH = 128;

export type BodyShape = { kind: "tooLarge" } | { kind: "badJson" } | { kind: "json"; value: unknown };

/** How readJsonBody will see a body: too large, not JSON, or a parsed value. */
export function classifyBody(bytes: Buffer | string): BodyShape {
  // As Request.text() decodes: UTF-8, invalid bytes replaced, a leading byte order mark dropped.
  const text = new TextDecoder().decode(typeof bytes === "string" ? Buffer.from(bytes) : bytes);
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { kind: "tooLarge" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    return { kind: "badJson" };
  }
}

/** Only `application/json` (any case, any parameters) is accepted by state-changing route handlers. */
export function isJsonContentType(contentType: string): boolean {
  return contentType.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** True when a parsed JSON value holds a number JSON cannot write back (1e400 parses to Infinity). */
export function hasNonFiniteNumber(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "number" && !Number.isFinite(item)) return true;
    if (item !== null && typeof item === "object") stack.push(...Object.values(item));
  }
  return false;
}

/** The JSON round trip the database applies: -0 becomes 0, key order is kept. */
export function normalize<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Why a session key is refused, or null when it is acceptable. */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return "empty";
  if (key === "__proto__") return "reserved";
  if ([...key].length > MAX_KEY_LENGTH) return "too long";
  return null;
}

/** Keys whose encoded path segment is rewritten by URL normalisation, so the request reaches another route. */
export function isRoutingSegment(key: string): boolean {
  return key === "" || key === "." || key === "..";
}

export type PutOutcome =
  { status: 200; data: Record<string, unknown> } | { status: 400 | 413; data: Record<string, unknown> };

/** PUT /api/session/keys/{key} with this body text, against this stored data. */
export function predictPut(key: string, bodyText: string, before: Record<string, unknown>): PutOutcome {
  const unchanged = { data: before };
  if (keyProblem(key)) return { status: 400, ...unchanged };
  const body = classifyBody(bodyText);
  if (body.kind === "tooLarge") return { status: 413, ...unchanged };
  if (body.kind === "badJson") return { status: 400, ...unchanged };
  const parsed = body.value;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !Object.hasOwn(parsed, "value")) {
    return { status: 400, ...unchanged };
  }
  const value = (parsed as { value: unknown }).value;
  if (hasNonFiniteNumber(value)) return { status: 400, ...unchanged };
  const next = { ...before, [key]: value };
  if (Buffer.byteLength(JSON.stringify(next)) > MAX_DATA_BYTES) return { status: 400, ...unchanged };
  return { status: 200, data: normalize(next) };
}

/** The playground's Set expiry rules, as documented on the form: seconds, 0, a future ISO date, or empty. */
export function expiryIsValid(text: string, now = Date.now()): boolean {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "null") return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) <= 366 * 24 * 60 * 60;
  const date = new Date(trimmed);
  return /^\d{4}-\d{2}-\d{2}/.test(trimmed) && !Number.isNaN(date.getTime()) && date.getTime() > now;
}

/** An expiry that would end the test's own session within the test: never sent. */
export function expiryEndsSessionSoon(text: string, now = Date.now()): boolean {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) > 0 && Number(trimmed) < 600;
  const date = new Date(trimmed);
  return (
    /^\d{4}-\d{2}-\d{2}/.test(trimmed) &&
    !Number.isNaN(date.getTime()) &&
    date.getTime() > now &&
    date.getTime() < now + 600_000
  );
}

export function parsesAsJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
