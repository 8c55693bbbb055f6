/**
 * CSRF defence for JSON route handlers, which Next.js does not check the way it checks
 * server actions. Browsers send Sec-Fetch-Site and Origin on unsafe requests; a request
 * that is cross-site, or that proves nothing about where it came from, is refused.
 */
export type OriginCheck = { ok: true } | { ok: false; reason: string };

export interface RequestHeaders {
  get(name: string): string | null;
}

export function checkSameOrigin(headers: RequestHeaders, appOrigin: string): OriginCheck {
  if (headers.get("sec-fetch-site") === "cross-site") return { ok: false, reason: "Cross-site requests are refused." };
  const origin = headers.get("origin");
  if (origin !== null) {
    return origin === appOrigin ? { ok: true } : { ok: false, reason: "The request's Origin is not this site." };
  }
  const referer = headers.get("referer");
  if (referer !== null) {
    let refererOrigin: string | null = null;
    try {
      refererOrigin = new URL(referer).origin;
    } catch {
      refererOrigin = null;
    }
    return refererOrigin === appOrigin
      ? { ok: true }
      : { ok: false, reason: "The request's Referer is not this site." };
  }
  return { ok: false, reason: "The request has neither Origin nor Referer, so its origin cannot be checked." };
}

/** Only JSON bodies: a cross-site form can post text/plain without a CORS preflight. */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  return contentType.split(";")[0]?.trim().toLowerCase() === "application/json";
}
