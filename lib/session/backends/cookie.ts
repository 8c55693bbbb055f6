import { SessionTooLargeError } from "../errors";
import {
  liveSessionsOf,
  type LiveSessionPage,
  type LiveSessionQuery,
  mergeRecord,
  type NewKey,
  pageOfLiveSessions,
  rotateRecord,
  type SessionChanges,
  type SessionRecord,
} from "../record";
import { createPayloadSealer, tokenOf, type TokenSealer } from "../sealer";
import { cookieBytes, MAX_COOKIE_BYTES } from "../session-cookie";
import type { Log, SessionStore } from "../store";
import { hashToken } from "../token";
import { fromStored, toStored } from "./record-codec";

/** The cookie keeps the newest events and a shortened user agent: a browser holds 4096 bytes. */
export const COOKIE_MAX_EVENTS = 12;
const COOKIE_MAX_USER_AGENT = 200;

const trim = (record: SessionRecord): SessionRecord => ({
  ...record,
  userAgent: record.userAgent?.slice(0, COOKIE_MAX_USER_AGENT) ?? null,
  events: record.events.slice(-COOKIE_MAX_EVENTS),
});

/**
 * Django's `signed_cookies`, encrypted: the whole record travels in the cookie, sealed with
 * iron-session. One store per request holds the record its cookie carried; create and save change
 * that copy, and the request's sealer puts it back into the cookie. The server keeps nothing, so it
 * cannot list, revoke or expire anything early: a copied cookie works until it expires, and of two
 * parallel requests the last cookie the browser receives wins.
 */
export class CookieSessionStore implements SessionStore {
  readonly recordInCookie = true;
  readonly #records = new Map<string, SessionRecord>();

  constructor(private readonly cookieBytes?: (record: SessionRecord) => number) {}

  /** Takes the record a cookie carried. One this request already wrote is newer and wins. */
  adopt(record: SessionRecord): void {
    if (!this.#records.has(record.tokenHash)) this.#records.set(record.tokenHash, trim(record));
  }

  /** The record to seal for a token hash. */
  peek(tokenHash: string): SessionRecord | undefined {
    return this.#records.get(tokenHash);
  }

  assertFits(record: SessionRecord): void {
    const bytes = this.cookieBytes?.(trim(record)) ?? 0;
    if (bytes > MAX_COOKIE_BYTES) {
      throw new SessionTooLargeError(
        `This session needs a ${bytes}-byte cookie, but a browser keeps at most ${MAX_COOKIE_BYTES} bytes per cookie. ` +
          "With SESSION_ENGINE=cookie the whole session lives in the cookie: store less, or use a server-side engine.",
      );
    }
  }

  async load(tokenHash: string): Promise<SessionRecord | null> {
    const record = this.#records.get(tokenHash);
    return record ? structuredClone(record) : null;
  }

  async exists(tokenHash: string): Promise<boolean> {
    return this.#records.has(tokenHash);
  }

  async create(record: SessionRecord): Promise<void> {
    if (this.#records.has(record.tokenHash)) throw new Error("A session with this key already exists.");
    this.#records.set(record.tokenHash, structuredClone(trim(record)));
  }

  async save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    const current = this.#records.get(tokenHash);
    if (!current) return null;
    const merged = trim(mergeRecord(current, changes));
    this.#records.set(tokenHash, merged);
    return structuredClone(merged);
  }

  /** Moves this request's record to the new key; the response then carries it under that key. */
  async rotate(oldTokenHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null> {
    const current = this.#records.get(oldTokenHash);
    if (!current) return null;
    if (this.#records.has(key.tokenHash)) throw new Error("A session with this key already exists.");
    const next = trim(rotateRecord(current, key, changes));
    this.#records.delete(oldTokenHash);
    this.#records.set(key.tokenHash, next);
    return structuredClone(next);
  }

  /** Forgets the record, so this response clears the cookie. A copy of the cookie still opens it. */
  async delete(tokenHash: string): Promise<void> {
    this.#records.delete(tokenHash);
  }

  /** No server-side record, so no tombstone: an ended cookie session cannot be told apart. */
  async endReason(_tokenHash: string): Promise<null> {
    return null;
  }

  /** Nothing to clear: an expired cookie is refused when it comes back (its record holds the expiry). */
  async clearExpired(_now: Date): Promise<number> {
    return 0;
  }

  /**
   * Only the session this request carries: every other session of the user lives in its own
   * browser, out of the server's sight.
   */
  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return liveSessionsOf([...this.#records.values()], userId, now).map((record) => structuredClone(record));
  }

  async deleteForUser(_userId: string, _options: unknown): Promise<number> {
    return 0;
  }

  /** Again only this request's session: the rest are in browsers the server never sees. */
  async listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage> {
    const page = pageOfLiveSessions(this.#records.values(), now, query);
    return { ...page, records: page.records.map((record) => structuredClone(record)) };
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const record = [...this.#records.values()].find((r) => r.id === id);
    return record ? structuredClone(record) : null;
  }
}

/** Stands in for the 43-character token when measuring a record before it has one. */
const TOKEN_PLACEHOLDER = "x".repeat(43);

/** The cookie engine: a store per request and a sealer that carries `{t: token, r: record}`. */
export function createCookieEngine(
  secrets: readonly string[],
  cookieName: string,
  log: Log = console.warn,
): { forRequest(): { store: CookieSessionStore; sealer: TokenSealer } } {
  const payloads = createPayloadSealer(secrets);
  const payloadOf = (token: string, record: SessionRecord) => {
    const { tokenHash: _derived, ...r } = toStored(trim(record), { dataAsText: false });
    return { t: token, r };
  };
  // The sealed value is ASCII, so its length is its size in bytes.
  const recordCookieBytes = (record: SessionRecord) =>
    cookieBytes(cookieName, "") +
    payloads.sealedLength(Buffer.byteLength(JSON.stringify(payloadOf(TOKEN_PLACEHOLDER, record))));

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
