import { createHash } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { LRUCache } from "lru-cache";

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
export const MAX_COOKIE_BYTES = 4096;

/**
 * A cookie's size, the one definition Sesame uses everywhere: the UTF-8 bytes of `name=value`,
 * which is what browsers count against MAX_COOKIE_BYTES.
 */
export function cookieBytes(name: string, value: string): number {
  return Buffer.byteLength(`${name}=${value}`, "utf8");
}
const MAX_COOKIE_VALUE = MAX_COOKIE_BYTES;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface PayloadSealer {
  seal(payload: object): Promise<string>;
  /** The payload inside a cookie value, or null for anything forged, tampered or malformed. */
  unseal(value: string): Promise<Record<string, unknown> | null>;
  /** The exact length of `seal(payload)` for a payload whose JSON has `jsonBytes` bytes. */
  sealedLength(jsonBytes: number): number;
}

/**
 * Seals JSON payloads with iron-session. Secrets are newest first: the first seals, and all of
 * them unseal, so a secret can be rotated without logging everyone out.
 */
export function createPayloadSealer(secrets: readonly string[]): PayloadSealer {
  const [current] = secrets;
  if (current === undefined) throw new Error("createTokenSealer needs at least one secret.");
  // Each secret's id is derived from the secret itself, so adding or retiring secrets never
  // renumbers the others, and a seal opens with whichever configured secret made it.
  const sealing = { [secretId(current)]: current };
  const opening = Object.fromEntries(secrets.map((secret) => [secretId(secret), secret]));
  return {
    seal: (payload) => sealData(payload, { password: sealing, ttl: 0 }),
    async unseal(value) {
      if (value.length === 0 || value.length > MAX_COOKIE_VALUE) return null;
      try {
        const data = await unsealData<Record<string, unknown>>(value, { password: opening, ttl: 0 });
        return data !== null && typeof data === "object" ? data : null;
      } catch {
        return null;
      }
    },
    // iron's format: "Fe26.2*id*salt*iv*ciphertext**macSalt*mac~2", AES-CBC padding to 16 bytes, base64url.
    sealedLength: (jsonBytes) => 208 + secretId(current).length + Math.ceil(((Math.floor(jsonBytes / 16) + 1) * 16 * 4) / 3),
  };
}

/**
 * Seals session tokens: the cookie of every engine that keeps the session on the server.
 *
 * Unsealing costs two PBKDF2 key derivations, an HMAC and an AES decryption (about half a
 * millisecond of CPU) on every request, yet a browser sends the same value until its session key
 * changes. So the last `memo` values this sealer made or opened are remembered. Only values that
 * opened with a configured secret are kept, they carry no expiry of their own (ttl 0), and an
 * exact match can only return what that same string would unseal to anyway.
 */
export function createTokenSealer(secrets: readonly string[], memo = 10_000): TokenSealer {
  const payloads = createPayloadSealer(secrets);
  const opened = memo > 0 ? new LRUCache<string, string>({ max: memo }) : null;
  return {
    async seal(token) {
      const value = await payloads.seal({ t: token });
      if (TOKEN_PATTERN.test(token)) opened?.set(value, token);
      return value;
    },
    async unseal(value) {
      const known = opened?.get(value);
      if (known !== undefined) return known;
      const token = tokenOf(await payloads.unseal(value));
      if (token !== null) opened?.set(value, token);
      return token;
    },
  };
}

/** The token in an unsealed payload, if it holds a well-formed one. */
export function tokenOf(payload: Record<string, unknown> | null): string | null {
  return typeof payload?.t === "string" && TOKEN_PATTERN.test(payload.t) ? payload.t : null;
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
