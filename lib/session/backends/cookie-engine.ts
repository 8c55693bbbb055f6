import { cookieBytes } from "../session-cookie";
import { createPayloadSealer, tokenOf, type TokenSealer } from "../sealer";
import { describeDevice, type SessionSummary } from "../user-sessions";
import type { Session } from "../session";
import type { SessionRecord } from "../record";
import { hashToken } from "../token";
import { CookieSessionStore, trim } from "./cookie";
import { fromStored, toStored } from "./record-codec";
import { type Log } from "../store";

/** Stands in for the 43-character token when measuring a record before it has one. */
const TOKEN_PLACEHOLDER = "x".repeat(43);

/** The cookie engine: a store per request and a sealer that carries `{t: token, r: record}`. */
export function createCookieEngine(secrets: readonly string[], cookieName: string, log: Log = console.warn) {
  const payloads = createPayloadSealer(secrets);
  const payloadOf = (token: string, record: SessionRecord) => {
    const { tokenHash: _derived, ...r } = toStored(trim(record), { dataAsText: false });
    return { t: token, r };
  };
  // The sealed value is ASCII, so its length is its size in bytes.
  const recordCookieBytes = (record: SessionRecord) =>
    cookieBytes(cookieName, "") + payloads.sealedLength(Buffer.byteLength(JSON.stringify(payloadOf(TOKEN_PLACEHOLDER, record))));

  return {
    forRequest(): { store: CookieSessionStore; sealer: TokenSealer } {
      const store = new CookieSessionStore(recordCookieBytes);
      const sealer: TokenSealer = {
        async seal(token) {
          const record = store.peek(hashToken(token));
          if (!record) throw new Error("The cookie engine has no record to seal for this token.");
          store.assertFits(record);
          return payloads.seal(payloadOf(token, record));
        },
        async unseal(value) {
          const payload = await payloads.unseal(value);
          const token = tokenOf(payload);
          if (!token || !payload?.r || typeof payload.r !== "object") return token;
          const tokenHash = hashToken(token);
          const record = fromStored({ ...payload.r, tokenHash }, log, tokenHash.slice(0, 8));
          if (record) store.adopt(record);
          return token;
        },
      };
      return { store, sealer };
    },
  };
}

/** Why a cookie-engine server lists only the current session and revokes none: for /sessions and GET /api/sessions. */
export const COOKIE_ENGINE_NOTE =
  "This server runs SESSION_ENGINE=cookie: each session lives only in its own browser's cookie, and the server keeps " +
  "no record of it. So it cannot list your other sessions or revoke any of them. Logging out clears this browser's " +
  "cookie, but a copy of a cookie keeps working until it expires. A server-side engine (db, cached_db, cache or file) can revoke sessions.";

/** The current session as the sessions list shows it: under the cookie engine, the only one the server can see. */
export function currentSessionSummary(session: Session): SessionSummary | null {
  const meta = session.metadata;
  if (!meta || !session.userId) return null;
  return {
    id: meta.id,
    current: true,
    device: describeDevice(meta.userAgent),
    ip: meta.ip,
    createdAt: meta.createdAt.toISOString(),
    lastSeenAt: meta.lastSeenAt.toISOString(),
    expiresAt: meta.expiresAt.toISOString(),
  };
}
