import { SessionValueError } from "./errors";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type SessionData = Record<string, JsonValue>;

export const MAX_KEY_LENGTH = 128;
export const MAX_DATA_BYTES = 64 * 1024;
/** Deeper values are refused: they serve no session and would exhaust the stack of any walker. */
export const MAX_DEPTH = 64;

export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0) {
    throw new SessionValueError("Session keys must be non-empty strings.");
  }
  if (key === "__proto__") {
    // Plain objects treat this name as their prototype, not as data; it could never round-trip.
    throw new SessionValueError('"__proto__" is reserved and cannot be a session key.');
  }
  const length = [...key].length;
  if (length > MAX_KEY_LENGTH) {
    throw new SessionValueError(`Session keys are at most ${MAX_KEY_LENGTH} characters; this one has ${length}.`);
  }
}

/**
 * Checks that a value survives JSON unchanged, and names what does not:
 * JSON.stringify would silently drop undefined and functions, and throw on BigInt and cycles.
 */
export function assertJsonValue(value: unknown, path = "value", seen = new Set<object>()): asserts value is JsonValue {
  if (seen.size >= MAX_DEPTH) throw new SessionValueError(`${path} is nested more than ${MAX_DEPTH} levels deep.`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new SessionValueError(`${path} is ${value}, which JSON cannot represent.`);
    return;
  }
  if (typeof value !== "object") {
    throw new SessionValueError(`${path} is of type ${typeof value}, which is not JSON-serialisable.`);
  }
  if (seen.has(value)) throw new SessionValueError(`${path} refers back to itself; cyclic values are not JSON.`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJsonValue(item, `${path}[${index}]`, seen));
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new SessionValueError(
        `${path} is a ${value.constructor?.name ?? "non-plain"} object; only plain objects are JSON.`,
      );
    }
    for (const [key, item] of Object.entries(value)) assertJsonValue(item, `${path}.${key}`, seen);
  }
  seen.delete(value);
}

/** Serialises session data, refusing anything over the size cap. */
export function serializeData(data: SessionData): string {
  const text = JSON.stringify(data);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_DATA_BYTES) {
    throw new SessionValueError(
      `The session would hold ${bytes} bytes of data; the limit is ${MAX_DATA_BYTES} (64 KiB).`,
    );
  }
  return text;
}

/** Parses stored data. Corrupt text yields null so the caller can log it and start empty. */
export function parseData(text: string): SessionData | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as SessionData) : null;
  } catch {
    return null;
  }
}

/** The JSON type of a value, in JSON's own words. */
export function jsonTypeOf(value: JsonValue): "null" | "boolean" | "number" | "string" | "array" | "object" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "boolean" | "number" | "string" | "object";
}
