"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { readTextField } from "@/lib/http/form-data";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { SessionKeyError, SessionValueError } from "@/lib/session/errors";
import { pythonRepr } from "@/lib/python-repr";
import { assertValidKey, type JsonValue } from "@/lib/session/json";

export interface PlaygroundState {
  /** The operation that answered, so the page shows the result beside its button. */
  op?: Operation;
  ok: boolean;
  /** What happened, in words; announced to screen readers. */
  message: string;
  /** The Sesame call and the Django line it mirrors. */
  sesame?: string;
  django?: string;
  /** The result of a get, as JSON text. */
  result?: string;
  errors?: Partial<Record<"key" | "value" | "default" | "expiry", string[]>>;
  /** The error body exactly as the JSON API returns it, for KeyError. */
  apiError?: string;
}

const OPERATIONS = ["set", "get", "delete", "flush", "cycle", "expiry"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The playground treats a missing field as an empty one. */
const field = (formData: FormData, name: string): string => readTextField(formData, name) ?? "";

function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return { ok: false };
  }
}

/** A value as TypeScript (and JSON) writes it. */
const show = (value: unknown): string => JSON.stringify(value);
/** The same value as Python writes it, for the Django line: None, True, 'text', {'a': 1}. */
const py = pythonRepr;

type ExpiryValue = number | Date | null;

/** Seconds, 0, an ISO date, or nothing for the default: the values Django's set_expiry takes. */
function parseExpiry(text: string): { ok: true; value: ExpiryValue } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "null") return { ok: true, value: null };
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    if (seconds <= 366 * 24 * 60 * 60) return { ok: true, value: seconds };
    return { ok: false, message: "Use at most a year of seconds (31622400)." };
  }
  const date = new Date(trimmed);
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed) && !Number.isNaN(date.getTime())) {
    return date.getTime() > Date.now()
      ? { ok: true, value: date }
      : { ok: false, message: "The date is in the past; the session would end at once." };
  }
  return {
    ok: false,
    message:
      "Enter seconds (like 300), 0 for browser close, a date (2030-01-31T12:00Z), or leave it empty for the default.",
  };
}

function describeExpiry(value: ExpiryValue): string {
  if (value === null) return "The session follows the default expiry policy again.";
  if (value instanceof Date)
    return `The session now ends at ${value.toISOString()} (or at its absolute limit, if sooner).`;
  if (value === 0)
    return "The cookie now lasts until the browser closes; the idle timeout still applies on the server.";
  return `The session now expires after ${value} seconds of inactivity, counted from this request (within its absolute limit).`;
}

/** One server action for the playground: the pressed button names the operation. */
export async function playgroundAction(
  _previous: PlaygroundState | undefined,
  formData: FormData,
): Promise<PlaygroundState> {
  const op = field(formData, "op") as Operation;
  if (!OPERATIONS.includes(op)) return { ok: false, message: "Choose an operation." };
  return { ...(await perform(op, formData)), op };
}

async function perform(op: Operation, formData: FormData): Promise<PlaygroundState> {
  const { session, user } = await openMutableSession();
  if (!user) return { ok: false, message: "Your session has ended. Log in again to use the playground." };

  const key = field(formData, "key").trim();
  const needsKey = op === "set" || op === "get" || op === "delete";
  if (needsKey) {
    // Checked before anything echoes the key back: the form posts its last state with the next action.
    try {
      assertValidKey(key);
    } catch (error) {
      const message = error instanceof SessionValueError ? error.message : "Enter a key.";
      return { ok: false, message: key ? message : "Enter a key.", errors: { key: [key ? message : "Enter a key."] } };
    }
  }

  let state: PlaygroundState;
  try {
    state = await run(op, session, key, formData);
  } catch (error) {
    if (error instanceof SessionKeyError) {
      const apiError = show({ error: "KeyError", key: error.key, message: error.message });
      return {
        ok: false,
        message: `KeyError: ${show(error.key)} is not in the session.`,
        sesame: `session.delete(${show(key)})`,
        django: `del request.session[${py(key)}]`,
        apiError,
        errors: { key: [`KeyError: ${show(error.key)}`] },
      };
    }
    if (error instanceof SessionValueError)
      return { ok: false, message: error.message, errors: { value: [error.message] } };
    console.error("[sesame] playground action failed:", error instanceof Error ? error.name : typeof error);
    return { ok: false, message: "Something went wrong on our side. Nothing was changed." };
  }
  if (!state.ok) return state;
  await commitSession(session);
  if (op === "flush") redirect("/login?reason=flushed");
  revalidatePath("/dashboard");
  return state;
}

async function run(
  op: Operation,
  session: Awaited<ReturnType<typeof openMutableSession>>["session"],
  key: string,
  formData: FormData,
): Promise<PlaygroundState> {
  switch (op) {
    case "set": {
      const parsed = parseJson(field(formData, "value"));
      if (!parsed.ok) {
        const message = 'The value must be JSON: a number, "a string" in quotes, true, null, [1, 2] or {"a": 1}.';
        return { ok: false, message, errors: { value: [message] } };
      }
      session.set(key, parsed.value);
      return {
        ok: true,
        message: `Set ${show(key)}.`,
        sesame: `session.set(${show(key)}, ${show(parsed.value)})`,
        django: `request.session[${py(key)}] = ${py(parsed.value)}`,
      };
    }
    case "get": {
      const rawDefault = field(formData, "default");
      const parsed = rawDefault.trim() === "" ? { ok: true as const, value: null } : parseJson(rawDefault);
      if (!parsed.ok) {
        const message = "The default must be JSON, or left empty for null.";
        return { ok: false, message, errors: { default: [message] } };
      }
      const value = session.get(key, parsed.value);
      return {
        ok: true,
        message: `Got ${show(key)}: ${show(value)}${session.has(key) ? "" : " (the default)"}.`,
        result: show(value),
        sesame: `session.get(${show(key)}, ${show(parsed.value)})`,
        django: `request.session.get(${py(key)}, ${py(parsed.value)})`,
      };
    }
    case "delete":
      session.delete(key);
      return {
        ok: true,
        message: `Deleted ${show(key)}.`,
        sesame: `session.delete(${show(key)})`,
        django: `del request.session[${py(key)}]`,
      };
    case "flush":
      await session.flush();
      return { ok: true, message: "Flushed.", sesame: "await session.flush()", django: "request.session.flush()" };
    case "expiry": {
      const parsed = parseExpiry(field(formData, "expiry"));
      if (!parsed.ok) return { ok: false, message: parsed.message, errors: { expiry: [parsed.message] } };
      session.setExpiry(parsed.value);
      const python =
        parsed.value instanceof Date ? `datetime.fromisoformat(${py(parsed.value.toISOString())})` : py(parsed.value);
      const typescript =
        parsed.value instanceof Date ? `new Date(${show(parsed.value.toISOString())})` : show(parsed.value);
      return {
        ok: true,
        message: describeExpiry(parsed.value),
        sesame: `session.setExpiry(${typescript})`,
        django: `request.session.set_expiry(${python})`,
      };
    }
    case "cycle":
      await session.cycleKey();
      return {
        ok: true,
        message: `Cycled the key: the data is under a new key now (prefix ${session.keyPrefix}), and the old row is gone.`,
        sesame: "await session.cycleKey()",
        django: "request.session.cycle_key()",
      };
  }
}
