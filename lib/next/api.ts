import { NextResponse } from "next/server";
import type { z } from "zod";
import { getServices } from "../services";
import { checkSameOrigin, isJsonContentType } from "../http/origin";
import { BUSY_MESSAGE } from "../auth/flows";
import { PasswordPoolBusyError } from "../auth/password";
import { SessionKeyError, SessionTooLargeError, SessionValueError, TooManySessionsError } from "../session/errors";

const NO_STORE = { "Cache-Control": "no-store" };

export function jsonResponse(body: unknown, status = 200, extraHeaders: Record<string, string> = {}): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...extraHeaders } });
}

export function errorResponse(
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): NextResponse {
  return jsonResponse({ error, message, ...extra }, status);
}

/** 429 with Retry-After, so well-behaved clients know when to come back. */
export function rateLimitedResponse(message: string, retryAfterSeconds: number): NextResponse {
  return jsonResponse({ error: "TooManyRequests", message, retryAfter: retryAfterSeconds }, 429, {
    "Retry-After": String(retryAfterSeconds),
  });
}

/** 503 with Retry-After: the server is momentarily full (the password pool), not broken. */
export function busyResponse(retryAfterSeconds: number): NextResponse {
  return jsonResponse({ error: "ServiceBusy", message: BUSY_MESSAGE, retryAfter: retryAfterSeconds }, 503, {
    "Retry-After": String(retryAfterSeconds),
  });
}

export function emptyResponse(status = 204, extraHeaders: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...NO_STORE, ...extraHeaders } });
}

export function keyErrorResponse(key: string): NextResponse {
  return jsonResponse({ error: "KeyError", key, message: `KeyError: ${JSON.stringify(key)}` }, 404);
}

/** The app's own origin: APP_URL when set, else the one the request was addressed to. */
async function appOrigin(h: Headers): Promise<string> {
  const services = await getServices();
  if (services.settings.appOrigin) return services.settings.appOrigin;
  const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${h.get("host") ?? "localhost"}`;
}

/**
 * Refuses state-changing requests that are cross-site or are not JSON. DELETE is exempt from
 * the content type, since no HTML form can send one and it usually has no body.
 */
export async function guardMutation(request: Request): Promise<NextResponse | null> {
  const check = checkSameOrigin(request.headers, await appOrigin(request.headers));
  if (!check.ok) return errorResponse(403, "Forbidden", check.reason);
  if (request.method !== "DELETE" && !isJsonContentType(request.headers.get("content-type"))) {
    return errorResponse(415, "UnsupportedMediaType", "Send the body as application/json.");
  }
  return null;
}

export type ParsedBody<T> = { ok: true; data: T } | { ok: false; response: NextResponse };

const MAX_BODY_BYTES = 128 * 1024;
const tooLarge = (): ParsedBody<never> => ({
  ok: false,
  response: errorResponse(413, "PayloadTooLarge", "The request body is larger than 128 KiB."),
});

/**
 * The body as text, never more than `limit` bytes of it in memory: a declared Content-Length over
 * the limit is refused before anything is read, and an undeclared one is cut off when it passes it.
 */
async function readBodyText(
  request: Request,
  limit: number,
): Promise<{ ok: true; text: string } | { ok: false; tooLarge: boolean }> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return { ok: false, tooLarge: true };
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, tooLarge: true };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, tooLarge: false };
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}

/** Reads and validates a JSON body; every failure is a 400 with field-level issues, or 413 past 128 KiB. */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<ParsedBody<z.infer<S>>> {
  const read = await readBodyText(request, MAX_BODY_BYTES);
  if (!read.ok && read.tooLarge) return tooLarge();
  if (!read.ok) return { ok: false, response: errorResponse(400, "BadRequest", "The request body could not be read.") };
  const { text } = read;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      ok: false,
      response: errorResponse(400, "BadRequest", "The request body is not valid JSON.", { issues: {} }),
    };
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const flat = result.error.flatten();
    return {
      ok: false,
      response: errorResponse(400, "ValidationError", flat.formErrors[0] ?? "Some fields are invalid.", {
        issues: flat.fieldErrors,
      }),
    };
  }
  return { ok: true, data: result.data };
}

/**
 * Runs a route handler and turns every failure into a clear JSON error. Unexpected errors are
 * logged on the server and answered with a generic 500 that carries no stack, SQL or secret.
 */
export function handleApi<A extends unknown[]>(
  handler: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      // The client closed the connection (see RequestGuard.signal): nobody is left to answer.
      if (error instanceof Error && error.name === "AbortError") return emptyResponse(499);
      if (error instanceof SessionKeyError) return keyErrorResponse(error.key);
      if (error instanceof SessionTooLargeError) return errorResponse(413, "SessionTooLarge", error.message);
      if (error instanceof SessionValueError) return errorResponse(400, "ValidationError", error.message);
      if (error instanceof TooManySessionsError) return rateLimitedResponse(error.message, error.retryAfterSeconds);
      if (error instanceof PasswordPoolBusyError) return busyResponse(error.retryAfterSeconds);
      console.error("[sesame] unhandled API error:", error instanceof Error ? error.name : typeof error);
      return errorResponse(500, "InternalError", "Something went wrong on our side. Nothing was changed.");
    }
  };
}
