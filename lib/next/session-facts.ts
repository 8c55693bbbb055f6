import { cookies } from "next/headers";
import { getServices } from "@/lib/services";
import { passwordFreshUntil } from "@/lib/session/reauthentication";
import { cookieBytes, sessionCookieAttributes, type SessionCookieAttributes } from "@/lib/session/session-cookie";
import type { JsonValue } from "@/lib/session/json";
import type { Session } from "@/lib/session/session";
import { sessionIdLabel } from "@/lib/session/token";

/**
 * What the inspector and the walkthrough show about the visitor's session, worked out on the
 * server. Read-only: pages never write cookies. Nothing here is the token, the full hash or the
 * full cookie value, so these facts are safe to render and to pass to client components.
 */

/** How many characters of the sealed cookie value are shown at each end. */
const EDGE = 8;
/** How many hex characters of the token's SHA-256 the inspector shows. */
const HASH_PREFIX = 12;

export interface CookieFacts {
  name: string;
  /** Whether the request carried the cookie at all. */
  present: boolean;
  /** The cookie's size as browsers count it (cookieBytes: name=value). */
  bytes: number;
  /** The first and last characters of the sealed value. */
  head: string;
  tail: string;
  /** The attributes the server sends with this session's cookie now (null without a stored row). */
  attributes: SessionCookieAttributes | null;
  /** When Max-Age (and Expires) would delete it; null for a browser-session cookie. */
  expires: Date | null;
}

export interface RowFacts {
  /** The first 12 hex characters of SHA-256(token): the lookup key, never the token. */
  hashPrefix: string;
  /** The shorter prefix the rest of the app (and GET /api/session) shows. */
  keyPrefix: string;
  /** The end of the row's public id, which differs between any two sessions (sessionIdLabel). */
  idLabel: string;
  userId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** The stored expiry: the sooner of the idle expiry and the absolute limit. */
  expiresAt: Date;
  /** When inactivity (or a fixed set_expiry date) ends the session. */
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  /** When the user last entered their password (login or confirmation); null if never, or anonymous. */
  passwordConfirmedAt: Date | null;
  /** When sudo mode lapses, and sensitive actions ask for the password again; null if it never began. */
  passwordFreshUntil: Date | null;
  /** SESSION_REAUTH_WINDOW, in seconds. */
  reauthWindowSeconds: number;
  idleSeconds: number;
  /** set_expiry(date): the idle expiry is a fixed moment that requests do not move. */
  fixedDate: boolean;
  persistent: boolean;
  browserClose: boolean;
  userAgent: string | null;
  ip: string | null;
  keyCount: number;
  /** UTF-8 length of JSON.stringify(data). */
  dataBytes: number;
  engine: string;
  /** The database that holds the row (SQLite or PostgreSQL), or null when the engine uses none. */
  database: string | null;
}

export interface SessionFacts {
  cookie: CookieFacts;
  row: RowFacts | null;
  items: [string, JsonValue][];
  /** Sliding writes happen at most this often. */
  touchIntervalSeconds: number;
  secureCookies: boolean;
  now: Date;
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

export async function sessionFacts(session: Session): Promise<SessionFacts> {
  const [jar, services] = await Promise.all([cookies(), getServices()]);
  const now = new Date();
  const name = services.cookieName;
  const value = jar.get(name)?.value ?? "";
  const meta = session.metadata;
  const hash = session.tokenHash;
  const items = session.items();
  const secure = services.settings.secureCookies;

  const maxAge = session.cookieMaxAge(now);

  const cookie: CookieFacts = {
    name,
    present: value !== "",
    bytes: value === "" ? 0 : cookieBytes(name, value),
    head: value.slice(0, EDGE),
    tail: value.length > EDGE * 2 ? value.slice(-EDGE) : "",
    attributes: meta ? sessionCookieAttributes(secure, maxAge) : null,
    // The cookie was sent with the row's expiry as its Max-Age, so it ends when the row does.
    expires: maxAge === undefined || meta === null ? null : meta.expiresAt,
  };

  const row: RowFacts | null =
    meta && hash
      ? {
          hashPrefix: hash.slice(0, HASH_PREFIX),
          keyPrefix: session.keyPrefix ?? hash.slice(0, 8),
          idLabel: sessionIdLabel(session.id ?? ""),
          userId: meta.userId,
          createdAt: meta.createdAt,
          lastSeenAt: meta.lastSeenAt,
          expiresAt: meta.expiresAt,
          idleExpiresAt: session.idleExpiresAt ?? meta.expiresAt,
          absoluteExpiresAt: meta.absoluteExpiresAt,
          passwordConfirmedAt: meta.userId ? meta.passwordConfirmedAt : null,
          passwordFreshUntil: passwordFreshUntil(session, services.settings.reauthWindowSeconds),
          reauthWindowSeconds: services.settings.reauthWindowSeconds,
          idleSeconds: session.idleSeconds,
          fixedDate: meta.expiryDate !== null,
          persistent: meta.persistent,
          browserClose: session.expiresAtBrowserClose,
          userAgent: meta.userAgent,
          ip: meta.ip,
          keyCount: items.length,
          dataBytes: utf8Bytes(JSON.stringify(session.toJSON())),
          engine: services.engine.name,
          database: services.engine.database,
        }
      : null;

  return {
    cookie,
    row,
    items,
    touchIntervalSeconds: services.settings.expiry.touchIntervalSeconds,
    secureCookies: secure,
    now,
  };
}

/** "3 keys", "1 key". */
export function countKeys(count: number): string {
  return `${count} key${count === 1 ? "" : "s"}`;
}
