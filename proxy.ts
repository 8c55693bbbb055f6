import { NextResponse, type NextRequest } from "next/server";
import { getSettings } from "@/lib/config/env";
import { contentSecurityPolicy, generateNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/http/headers";
import { slideSessionExpiry } from "@/lib/next/proxy";

/**
 * Runs before every page request: a per-request CSP nonce, and sliding session expiry.
 * It is not a security boundary: each page, action and route handler checks the session itself.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const https = request.nextUrl.protocol === "https:" || getSettings().secureCookies;
  const nonce = generateNonce();
  const csp = contentSecurityPolicy(nonce, { https });
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);

  // Only GET and HEAD slide the expiry, so a server action's own cookie (a rotated key, say)
  // is never raced by a second Set-Cookie from here.
  if (request.method === "GET" || request.method === "HEAD") {
    try {
      await slideSessionExpiry(request, response);
    } catch (error) {
      // Sliding only extends a lifetime; the page still checks the session itself.
      console.error("[sesame] could not slide the session expiry:", error instanceof Error ? error.name : typeof error);
    }
  }
  return response;
}

export const config = {
  // Route handlers save their sessions themselves; static assets need neither nonce nor session.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
