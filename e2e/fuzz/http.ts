import type { APIRequestContext, APIResponse } from "@playwright/test";
import fc from "fast-check";
import { getTooling } from "../../lib/config/tooling.mjs";
import { BASE_URL } from "../env";
import { COOKIE_NAME, expect, uniqueClientIp } from "../fixtures";

/** A same-origin JSON request from a client address of its own, so no per-address limit trips. */
export function jsonHeaders(contentType = "application/json"): Record<string, string> {
  return { Origin: BASE_URL, "Content-Type": contentType, "X-Forwarded-For": uniqueClientIp() };
}

/** What the server may never reveal in an error: stack frames, database and framework internals. */
const LEAKS: [RegExp, string][] = [
  [/\n\s*at\s/, "a stack frame"],
  [/\bat [\w$.<>]+ \(/, "a stack frame"],
  [/prisma/i, "Prisma"],
  [/sqlite/i, "SQLite"],
  [/postgres/i, "PostgreSQL"],
  [/node_modules/, "a node_modules path"],
  [/\.tsx?:\d*/, "a source file position"],
  [/\.m?js:\d+/, "a source file position"],
  [/(?<!Key)Error:/, "an error's text"],
  [/\$2[aby]\$\d\d\$/, "a bcrypt hash"],
  [/Fe26\.2\*/, "a sealed cookie"],
];

/** A short, printable description of a request for failure messages: huge inputs are summarised. */
export function summarize(text: string, max = 160): string {
  const shown = JSON.stringify(compressRuns(text));
  return shown.length > max ? `${shown.slice(0, max)}… (${text.length} chars)` : shown;
}

/** Runs of 20 or more identical characters shown as one "char×count", so 100k-char inputs stay readable. */
export function compressRuns(text: string): string {
  return text.replace(/([\s\S])\1{19,}/gu, (run, unit: string) => `${unit}×${[...run].length}`);
}

export interface ErrorExpectation {
  /** What was sent, for the failure message. */
  what: string;
  /** Exact statuses allowed; otherwise any 4xx. */
  statuses?: number[];
  /** Inputs the body may legitimately echo (a KeyError names its key), removed before the leak scan. */
  echoed?: string[];
  /** Inputs the body must never contain, such as a password. */
  secrets?: string[];
}

/** Reads a refused response and checks it is a clean, JSON, human-readable 4xx. Returns the parsed body. */
export async function expectCleanError(
  response: APIResponse,
  expectation: ErrorExpectation,
): Promise<{ error: string; message: string }> {
  const status = response.status();
  const text = await response.text();
  const context = `${expectation.what} → ${status} ${summarize(text, 400)}`;
  expect(status, `never a 5xx: ${context}`).toBeLessThan(500);
  if (expectation.statuses) expect(expectation.statuses, `status: ${context}`).toContain(status);
  else expect(status, `a 4xx: ${context}`).toBeGreaterThanOrEqual(400);
  expect(response.headers()["content-type"] ?? "", `a JSON error body: ${context}`).toContain("application/json");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the error body is not JSON: ${context}`);
  }
  const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
  expect(typeof error, `an "error" name: ${context}`).toBe("string");
  expect(typeof message, `a "message" string: ${context}`).toBe("string");
  // Human-readable: a sentence with words in it, not a code or an empty string.
  expect(message as string, `a readable message: ${context}`).toMatch(/[A-Za-z]{3,}.*[A-Za-z]{2,}/);
  expectNoLeaks(text, expectation, context);
  return { error: error as string, message: message as string };
}

/** No stack, SQL, internals, or secret in a response body, once legitimately echoed input is removed. */
export function expectNoLeaks(
  text: string,
  expectation: Pick<ErrorExpectation, "echoed" | "secrets">,
  context: string,
): void {
  let scanned = text;
  for (const echoed of expectation.echoed ?? []) {
    if (echoed.length === 0) continue;
    const escaped = JSON.stringify(echoed).slice(1, -1);
    scanned = scanned.split(escaped).join("").split(JSON.stringify(escaped).slice(1, -1)).join("");
  }
  for (const [pattern, name] of LEAKS) {
    expect(pattern.test(scanned), `the body leaks ${name}: ${context}`).toBe(false);
  }
  for (const secret of expectation.secrets ?? []) {
    if (!isDistinctive(secret)) continue;
    expect(
      text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)),
      `the body echoes a password: ${context}`,
    ).toBe(false);
  }
}

/** Short or word-like strings can appear in any message by chance; only distinctive ones are looked for. */
function isDistinctive(secret: string): boolean {
  return secret.length >= 8 && !/^[A-Za-z ,.'-]*$/.test(secret);
}

/** A session cookie set (not cleared) by a response, if any. */
export function setsSessionCookie(response: APIResponse): boolean {
  return response
    .headersArray()
    .some(
      (h) =>
        h.name.toLowerCase() === "set-cookie" && h.value.startsWith(`${COOKIE_NAME}=`) && !/Max-Age=0/i.test(h.value),
    );
}

/** The server still answers its liveness probe. */
export async function expectServerAlive(request: APIRequestContext): Promise<void> {
  const health = await request.get("/api/health");
  expect(health.status(), "GET /api/health after fuzzing").toBe(200);
  expect(await health.json()).toEqual({ ok: true });
}

/**
 * Runs a property and, on failure, throws fast-check's report and the underlying assertion with
 * huge inputs summarised, so a 100k-character counterexample stays readable. FUZZ_SEED replays
 * a failure; FUZZ_RUNS_SCALE scales the number of runs (except where scale: false caps them, as
 * for logins on a real account). Browser properties pass shrink: false, since each failing run
 * there waits out its assertions' timeouts.
 */
export async function checkProperty<Ts>(
  property: fc.IAsyncProperty<Ts>,
  numRuns: number,
  options: { shrink?: boolean; scale?: boolean } = {},
): Promise<void> {
  const { fuzzRunsScale, fuzzSeed: seed } = getTooling();
  const scale = options.scale === false ? 1 : fuzzRunsScale;
  const details = await fc.check(property, {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed === undefined ? {} : { seed }),
    endOnFailure: options.shrink === false,
    // A failing property shrinks its counterexample, but never for longer than this.
    interruptAfterTimeLimit: 30_000,
    markInterruptAsFailure: false,
  });
  if (details.failed) {
    const report = fc.defaultReportMessage(details) ?? "the property failed";
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${compressRuns(report).slice(0, 3_000)}\n\nThe failure: ${compressRuns(cause).slice(0, 3_000)}`);
  }
}
