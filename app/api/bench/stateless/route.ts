import { errorResponse, jsonResponse } from "@/lib/next/api";
import { getServices } from "@/lib/services";
import { findSessionCookie } from "@/lib/session/session-cookie";

export const dynamic = "force-dynamic";

/**
 * The benchmark's stateless floor: unseal the iron-session cookie and stop. No database, no
 * session object: the least any cookie-based session can cost. It reveals nothing but validity.
 * Off (404) unless BENCH_ENDPOINTS is set: on a real server it would hand anyone a key
 * derivation per request for free.
 */
export async function GET(request: Request): Promise<Response> {
  const { engine, cookieName, settings } = await getServices();
  if (!settings.benchEndpoints) return errorResponse(404, "NotFound", "There is nothing here.");
  const cookie = findSessionCookie(request.headers.get("cookie"), cookieName);
  const token = cookie.value ? await engine.forRequest().sealer.unseal(cookie.value) : null;
  return jsonResponse({ sealed: token !== null });
}
