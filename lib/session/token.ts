import { createHash, randomBytes } from "node:crypto";

/** A new session token: 256 bits from the CSPRNG, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The only form of a token that is ever stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A random identifier for rows that may be shown (session ids in the UI, user ids). */
export function generatePublicId(): string {
  return randomBytes(16).toString("base64url");
}
