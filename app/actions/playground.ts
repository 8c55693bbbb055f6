"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { SessionKeyError, SessionValueError } from "@/lib/session/errors";
import type { JsonValue } from "@/lib/session/json";

export interface PlaygroundState {
  ok: boolean;
  /** What happened, in words; announced to screen readers. */
  message: string;
  /** The Sesame call and the Django line it mirrors. */
  sesame?: string;
  django?: string;
  /** The result of a get, as JSON text. */
  result?: string;
  errors?: Partial<Record<"key" | "value" | "default", string[]>>;
  /** The error body exactly as the JSON API returns it, for KeyError. */
  apiError?: string;
}

const OPERATIONS = ["set", "get", "delete", "flush", "cycle"] as const;
type Operation = (typeof OPERATIONS)[number];

function field(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return { ok: false };
  }
}

const show = (value: unknown): string => JSON.stringify(value);

/** One server action for the playground: the pressed button names the operation. */
export async function playgroundAction(_previous: PlaygroundState | undefined, formData: FormData): Promise<PlaygroundState> {
  const op = field(formData, "op") as Operation;
  if (!OPERATIONS.includes(op)) return { ok: false, message: "Choose an operation." };
  const { session, user } = await openMutableSession();
  if (!user) return { ok: false, message: "Your session has ended. Log in again to use the playground." };

  const key = field(formData, "key").trim();
  const needsKey = op === "set" || op === "get" || op === "delete";
  if (needsKey && !key) return { ok: false, message: "Enter a key.", errors: { key: ["Enter a key."] } };

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
        django: `del request.session[${show(key)}]`,
        apiError,
        errors: { key: [`KeyError: ${show(error.key)}`] },
      };
    }
    if (error instanceof SessionValueError) return { ok: false, message: error.message, errors: { value: [error.message] } };
    throw error;
  }
  if (!state.ok) return state;
  await commitSession(session);
  if (op === "flush") redirect("/login?reason=flushed");
  revalidatePath("/dashboard");
  return state;
}

async function run(op: Operation, session: Awaited<ReturnType<typeof openMutableSession>>["session"], key: string, formData: FormData): Promise<PlaygroundState> {
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
        django: `request.session[${show(key)}] = ${show(parsed.value)}`,
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
        django: `request.session.get(${show(key)}, ${show(parsed.value)})`,
      };
    }
    case "delete":
      session.delete(key);
      return {
        ok: true,
        message: `Deleted ${show(key)}.`,
        sesame: `session.delete(${show(key)})`,
        django: `del request.session[${show(key)}]`,
      };
    case "flush":
      await session.flush();
      return { ok: true, message: "Flushed.", sesame: "await session.flush()", django: "request.session.flush()" };
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
