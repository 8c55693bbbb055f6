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
  if (secrets.length === 0) throw new Error("createTokenSealer needs at least one secret.");
  // iron-session seals with the highest id; the oldest secret keeps id 1 as new ones are prepended.
  const password = Object.fromEntries(secrets.map((secret, index) => [String(secrets.length - index), secret]));
  return {
    seal: (token) => sealData({ t: token }, { password, ttl: 0 }),
    async unseal(value) {
      if (value.length === 0 || value.length > MAX_COOKIE_VALUE) return null;
      try {
        const data = await unsealData<{ t?: unknown }>(value, { password, ttl: 0 });
        return typeof data.t === "string" && TOKEN_PATTERN.test(data.t) ? data.t : null;
      } catch {
        return null;
      }
    },
  };
}
