import { createHash } from "node:crypto";
import { sealData, unsealData } from "iron-session";

/** The browser-facing name: `__Host-` under https, so the browser enforces Secure, Path=/ and no Domain. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-sesame_session" : "sesame_session";
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

export interface TokenSealer {
  seal(token: string): Promise<string>;
  /** The token inside a cookie value, or null for anything forged, tampered or malformed. */
  unseal(value: string): Promise<string | null>;
}

/** Browsers cap a cookie (name plus value) at 4096 bytes; nothing longer is ours. */
const MAX_COOKIE_VALUE = 4096;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Seals tokens with iron-session. Secrets are newest first: the first seals, and all of them
 * unseal, so a secret can be rotated without logging everyone out.
 */
export function createTokenSealer(secrets: readonly string[]): TokenSealer {
  const [current] = secrets;
  if (current === undefined) throw new Error("createTokenSealer needs at least one secret.");
  // Each secret's id is derived from the secret itself, so adding or retiring secrets never
  // renumbers the others, and a seal opens with whichever configured secret made it.
  const sealing = { [secretId(current)]: current };
  const opening = Object.fromEntries(secrets.map((secret) => [secretId(secret), secret]));
  return {
    seal: (token) => sealData({ t: token }, { password: sealing, ttl: 0 }),
    async unseal(value) {
      if (value.length === 0 || value.length > MAX_COOKIE_VALUE) return null;
      try {
        const data = await unsealData<{ t?: unknown }>(value, { password: opening, ttl: 0 });
        return typeof data.t === "string" && TOKEN_PATTERN.test(data.t) ? data.t : null;
      } catch {
        return null;
      }
    },
  };
}

/** A stable numeric id for a secret (iron-session wants numeric ids): 48 bits of its SHA-256. */
function secretId(secret: string): string {
  return String(parseInt(createHash("sha256").update(secret).digest("hex").slice(0, 12), 16));
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
