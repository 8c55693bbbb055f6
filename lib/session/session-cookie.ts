import { SECURE_SESSION_COOKIE_NAME, SESSION_COOKIE_NAME } from "../config/cookie-name.mjs";

/** The browser-facing name: `__Host-` under https, so the browser enforces Secure, Path=/ and no Domain. */
export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE_NAME : SESSION_COOKIE_NAME;
}

export interface SessionCookieAttributes {
  httpOnly: true;
  sameSite: "lax";
  path: "/";
  secure: boolean;
  maxAge?: number;
}

/** Attributes for the session cookie. Without maxAge it is a browser-session cookie. */
export function sessionCookieAttributes(secure: boolean, maxAge: number | undefined): SessionCookieAttributes {
  return { httpOnly: true, sameSite: "lax", path: "/", secure, ...(maxAge === undefined ? {} : { maxAge }) };
}

/** Browsers cap a cookie (name plus value) at 4096 bytes; nothing longer is ours. */
export const MAX_COOKIE_BYTES = 4096;

/**
 * A cookie's size, the one definition Sesame uses everywhere: the UTF-8 bytes of `name=value`,
 * which is what browsers count against MAX_COOKIE_BYTES.
 */
export function cookieBytes(name: string, value: string): number {
  return Buffer.byteLength(`${name}=${value}`, "utf8");
}

export type CookieLookup = { value: string | undefined; ambiguous: boolean };

/**
 * Finds the session cookie in a raw Cookie header. Two cookies of that name (one planted from a
 * sibling subdomain, say) are ambiguous, and neither is trusted: frameworks keep just one silently.
 */
export function findSessionCookie(cookieHeader: string | null, name: string): CookieLookup {
  if (!cookieHeader) return { value: undefined, ambiguous: false };
  const values: string[] = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values.length > 1 ? { value: undefined, ambiguous: true } : { value: values[0], ambiguous: false };
}
