import { createHash } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { LRUCache } from "lru-cache";
import { MAX_COOKIE_BYTES } from "./session-cookie";

export interface TokenSealer {
  seal(token: string): Promise<string>;
  /** The token inside a cookie value, or null for anything forged, tampered or malformed. */
  unseal(value: string): Promise<string | null>;
}

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
      if (value.length === 0 || value.length > MAX_COOKIE_BYTES) return null;
      try {
        const data = await unsealData<Record<string, unknown>>(value, { password: opening, ttl: 0 });
        return data !== null && typeof data === "object" ? data : null;
      } catch {
        return null;
      }
    },
    // iron's format: "Fe26.2*id*salt*iv*ciphertext**macSalt*mac~2", AES-CBC padding to 16 bytes, base64url.
    sealedLength: (jsonBytes) =>
      208 + secretId(current).length + Math.ceil(((Math.floor(jsonBytes / 16) + 1) * 16 * 4) / 3),
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
