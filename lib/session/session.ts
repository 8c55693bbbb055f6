import { SessionKeyError, TooManySessionsError } from "./errors";
import {
  absoluteExpiryFrom,
  computeExpiresAt,
  cookieMaxAgeFor,
  expiresAtBrowserClose,
  idleExpiresAt,
  idleSecondsFor,
  needsTouch,
  type ExpiryPolicy,
} from "./expiry";
import { assertJsonValue, assertValidKey, serializeData, type JsonValue, type SessionData } from "./json";
import { appendEvents, keyNameForLog, type SessionEvent } from "./activity";
import { hasChanges, type SessionChanges, type SessionMeta, type SessionRecord } from "./record";
import { type SessionStore } from "./store";
import type { TokenSealer } from "./sealer";
import { generateSessionId, generateToken, hashToken } from "./token";

/** What a session needs from its surroundings, passed in so tests can drive it without a server. */
export interface SessionContext {
  /** Where the session lives: the engine's store (under SESSION_ENGINE=cookie, this request's own). */
  store: SessionStore;
  /** Seals and opens the cookie; it travels with the store, since the cookie engine's puts the record inside. */
  sealer: TokenSealer;
  policy: ExpiryPolicy;
  now: () => Date;
  userAgent: string | null;
  ip: string | null;
  /**
   * Asked before a new session is first stored; a refusal throws TooManySessionsError and stores
   * nothing. Without it, any number of sessions may be created (tests, scripts).
   */
  admitNewSession?: () => Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

/** What the caller must do with the cookie after a save. */
export type CookieInstruction =
  { kind: "none" } | { kind: "set"; token: string; maxAge: number | undefined } | { kind: "clear" };

export type ExpiryValue = number | Date | null;

const NO_CHANGES = (): SessionChanges => ({ cleared: false, set: {}, deleted: [], meta: {}, events: [] });
const MISSING = Symbol("missing");
/** Stands in for the token hash of a session that has none yet, when measuring the record it would become. */
const UNSTORED_TOKEN_HASH = "0".repeat(64);

/**
 * One visitor's session, with the semantics of Django's `request.session`.
 * Reads and writes work on a local view; `save()` persists only what changed.
 */
export class Session {
  readonly #ctx: SessionContext;
  /** The token the request came with, to tell a new or rotated key from the same one. */
  readonly #openedWith: string | null;
  #token: string | null;
  #record: SessionRecord | null;
  #data: SessionData;
  #changes: SessionChanges = NO_CHANGES();
  /** The cookie no longer matches what is stored: reissue or clear it on save. */
  #cookieStale: boolean;
  modified = false;
  accessed = false;

  private constructor(ctx: SessionContext, token: string | null, record: SessionRecord | null, cookieStale: boolean) {
    this.#ctx = ctx;
    this.#openedWith = token;
    this.#token = token;
    this.#record = record;
    this.#data = record ? { ...record.data } : {};
    this.#cookieStale = cookieStale;
  }

  /** A new, empty session. `hadCookie` marks a rejected cookie that the next save clears. */
  static create(ctx: SessionContext, options: { hadCookie?: boolean } = {}): Session {
    return new Session(ctx, null, null, options.hadCookie ?? false);
  }

  static fromRecord(ctx: SessionContext, token: string, record: SessionRecord): Session {
    return new Session(ctx, token, record, false);
  }

  // --- identity -----------------------------------------------------------

  /** The store this session lives in: listing and revoking the user's other sessions go through it. */
  get store(): SessionStore {
    return this.#ctx.store;
  }

  /** The cookie value that carries `token`, sealed by this session's own sealer. */
  sealCookie(token: string): Promise<string> {
    return this.#ctx.sealer.seal(token);
  }

  /** True until the session has a stored row. */
  get isNew(): boolean {
    return this.#record === null;
  }

  /** True once this request has given the session a key it did not come with: created, rotated or flushed. */
  get keyChanged(): boolean {
    return this.#token !== this.#openedWith;
  }

  /** The public id of the stored row. */
  get id(): string | null {
    return this.#record?.id ?? null;
  }

  get tokenHash(): string | null {
    return this.#record?.tokenHash ?? null;
  }

  /** A short, safe prefix of the token's hash, for display. */
  get keyPrefix(): string | null {
    return this.#record ? this.#record.tokenHash.slice(0, 8) : null;
  }

  get userId(): string | null {
    return this.#meta("userId");
  }

  /** When the user last entered their password (login or confirmation), with this request's change; null if never. */
  get passwordConfirmedAt(): Date | null {
    return this.#meta("passwordConfirmedAt");
  }

  /** The stored metadata with this request's pending changes applied. */
  get metadata(): Omit<SessionRecord, "data" | "tokenHash" | "events"> | null {
    if (!this.#record) return null;
    const { data: _data, tokenHash: _hash, events: _events, ...meta } = { ...this.#record, ...this.#changes.meta };
    return meta;
  }

  /** The activity log, oldest first, including this request's unsaved events. */
  get events(): SessionEvent[] {
    return appendEvents(this.#record?.events ?? [], this.#changes.events);
  }

  // --- the dictionary -----------------------------------------------------

  get(key: string): JsonValue | undefined;
  get<T extends JsonValue>(key: string, fallback: T): JsonValue;
  get(key: string, fallback?: JsonValue): JsonValue | undefined {
    this.accessed = true;
    return Object.hasOwn(this.#data, key) ? this.#data[key] : fallback;
  }

  has(key: string): boolean {
    this.accessed = true;
    return Object.hasOwn(this.#data, key);
  }

  set(key: string, value: unknown): void {
    assertValidKey(key);
    assertJsonValue(value);
    const next = { ...this.#data, [key]: structuredClone(value) };
    serializeData(next); // refuses data over the size cap before anything changes
    this.#assertFits(next);
    this.#data = next;
    this.#changes.set[key] = next[key] as JsonValue;
    this.#changes.deleted = this.#changes.deleted.filter((k) => k !== key);
    this.modified = true;
    this.#log("key_set", keyNameForLog(key));
  }

  /** Removes a key; a missing key throws SessionKeyError, as Django's `del` raises KeyError. */
  delete(key: string): void {
    this.accessed = true;
    if (!Object.hasOwn(this.#data, key)) throw new SessionKeyError(key);
    this.#remove(key);
  }

  pop(key: string, fallback?: JsonValue): JsonValue | undefined {
    const value = this.get(key, MISSING as unknown as JsonValue) as JsonValue | typeof MISSING;
    if (value === MISSING) return fallback;
    this.#remove(key);
    return value;
  }

  setDefault(key: string, value: JsonValue): JsonValue {
    if (this.has(key)) return this.#data[key] as JsonValue;
    this.set(key, value);
    return value;
  }

  keys(): string[] {
    this.accessed = true;
    return Object.keys(this.#data);
  }

  values(): JsonValue[] {
    this.accessed = true;
    return Object.values(this.#data);
  }

  items(): [string, JsonValue][] {
    this.accessed = true;
    return Object.entries(this.#data);
  }

  /** Empties the data but keeps the session and its key. */
  clear(): void {
    this.#data = {};
    this.#changes.cleared = true;
    this.#changes.set = {};
    this.#changes.deleted = [];
    this.accessed = true;
    this.modified = true;
    this.#log("cleared");
  }

  get isEmpty(): boolean {
    this.accessed = true;
    return Object.keys(this.#data).length === 0;
  }

  /** A copy of the whole dictionary. */
  toJSON(): SessionData {
    this.accessed = true;
    return structuredClone(this.#data);
  }

  // --- keys and lifecycle -------------------------------------------------

  /** Deletes the stored row and starts over: empty data, no user, a new key on the next save. */
  async flush(): Promise<void> {
    if (this.#record) await this.#ctx.store.delete(this.#record.tokenHash);
    this.#cookieStale = this.#cookieStale || this.#record !== null;
    this.#record = null;
    this.#token = null;
    this.#data = {};
    this.#changes = NO_CHANGES();
    this.modified = true;
  }

  /**
   * A new key for the same data. The store moves the row in one step, merging this request's
   * changes into what is stored now. If the row was deleted since this request loaded it (revoked,
   * logged out everywhere), nothing is created: the session is gone, and the next save clears the cookie.
   */
  async cycleKey(): Promise<void> {
    const old = this.#record;
    this.modified = true;
    if (!old) return; // a session without a row gets a fresh key when it is first saved
    const token = generateToken();
    this.#log("key_rotated");
    const key = { id: generateSessionId(), tokenHash: hashToken(token), createdAt: this.#ctx.now() };
    const rotated = await this.#ctx.store.rotate(old.tokenHash, key, this.#changes);
    if (!rotated) {
      this.#record = null;
      this.#token = null;
      this.#data = {};
      this.#changes = NO_CHANGES();
      this.#cookieStale = true;
      return;
    }
    this.#adopt(token, rotated);
    this.#cookieStale = true;
  }

  /** Django's `login()`: a new key, keeping the data unless another user was logged in. */
  async login(userId: string, options: { persistent?: boolean } = {}): Promise<void> {
    const current = this.userId;
    if (current !== null && current !== userId) await this.flush();
    else await this.cycleKey();
    const persistent = options.persistent ?? false;
    const now = this.#ctx.now();
    this.#setMeta({
      userId,
      persistent,
      expiryAge: null,
      expiryDate: null,
      lastSeenAt: now,
      absoluteExpiresAt: absoluteExpiryFrom(now, persistent, this.#ctx.policy),
      // A login is a password entry: sudo mode starts fresh.
      passwordConfirmedAt: now,
    });
    this.#log("logged_in", persistent ? "keep me signed in" : undefined);
  }

  /**
   * Records that the logged-in user has just entered their password again (sudo mode, as
   * django-sudo's `@sudo_required`). The caller checks the password; this only stamps the time,
   * and returns it.
   */
  confirmPassword(): Date {
    if (this.userId === null) throw new Error("confirmPassword needs a logged-in session.");
    const now = this.#ctx.now();
    this.#setMeta({ passwordConfirmedAt: now });
    this.#log("password_confirmed");
    return now;
  }

  /**
   * Django's `set_expiry`: seconds of inactivity, a fixed date, 0 for "when the browser closes",
   * or null for the default policy. The absolute lifetime still applies.
   */
  setExpiry(value: ExpiryValue): void {
    // Django counts the new expiry from this save, not from the last sliding write.
    const lastSeenAt = this.#ctx.now();
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new RangeError("setExpiry needs a valid date.");
      this.#setMeta({ expiryDate: value, expiryAge: null, lastSeenAt });
      this.#log("expiry_changed", `until ${value.toISOString()}`);
    } else if (typeof value === "number") {
      if (!Number.isInteger(value) || value < 0)
        throw new RangeError("setExpiry needs a whole number of seconds, 0 or more.");
      this.#setMeta({ expiryAge: value, expiryDate: null, lastSeenAt });
      this.#log("expiry_changed", value === 0 ? "when the browser closes" : `${value} seconds of inactivity`);
    } else {
      this.#setMeta({ expiryAge: null, expiryDate: null, lastSeenAt });
      this.#log("expiry_changed", "the default policy");
    }
  }

  /** Seconds from now until the session expires, by its current settings. */
  getExpiryAge(): number {
    return Math.max(0, Math.round((this.getExpiryDate().getTime() - this.#ctx.now().getTime()) / 1000));
  }

  /** When the session will expire if it is saved now. */
  getExpiryDate(): Date {
    const now = this.#ctx.now();
    const persistent = this.#meta("persistent") ?? false;
    const fields = {
      lastSeenAt: this.#meta("lastSeenAt") ?? now,
      persistent,
      expiryAge: this.#meta("expiryAge"),
      expiryDate: this.#meta("expiryDate"),
      absoluteExpiresAt: this.#meta("absoluteExpiresAt") ?? absoluteExpiryFrom(now, persistent, this.#ctx.policy),
    };
    // As save() does: the last-seen time moves to now only once the touch interval has passed.
    if (needsTouch(fields, now, this.#ctx.policy)) fields.lastSeenAt = now;
    return computeExpiresAt(fields, this.#ctx.policy);
  }

  get expiresAtBrowserClose(): boolean {
    return expiresAtBrowserClose({
      persistent: this.#meta("persistent") ?? false,
      expiryAge: this.#meta("expiryAge"),
      expiryDate: this.#meta("expiryDate"),
    });
  }

  /** When inactivity (or a fixed set_expiry date) ends the stored session; null before it is stored. */
  get idleExpiresAt(): Date | null {
    const meta = this.metadata;
    return meta ? idleExpiresAt(meta, this.#ctx.policy) : null;
  }

  /** The Max-Age its cookie is sent with at `now`: undefined for a browser-session cookie or an unstored session. */
  cookieMaxAge(now: Date): number | undefined {
    const meta = this.metadata;
    return meta ? cookieMaxAgeFor(meta, now) : undefined;
  }

  /** The idle timeout that applies to this session, in seconds. */
  get idleSeconds(): number {
    return idleSecondsFor(
      { persistent: this.#meta("persistent") ?? false, expiryAge: this.#meta("expiryAge") },
      this.#ctx.policy,
    );
  }

  // --- persistence --------------------------------------------------------

  /**
   * Persists what this request changed and slides the expiry when it is due.
   * Returns what to do with the cookie; only actions, route handlers and the proxy may apply it.
   */
  async save(): Promise<CookieInstruction> {
    const { store, policy } = this.#ctx;
    const now = this.#ctx.now();
    if (!this.#record) {
      if (Object.keys(this.#data).length === 0 && this.userId === null) {
        return this.#cookieStale ? { kind: "clear" } : { kind: "none" };
      }
      const admitted = (await this.#ctx.admitNewSession?.()) ?? { ok: true };
      if (!admitted.ok) throw new TooManySessionsError(admitted.retryAfterSeconds);
      const token = generateToken();
      const record = this.#newRecord(hashToken(token), now);
      await store.create(record);
      this.#adopt(token, record);
      return this.#cookieFor(token, record, now);
    }
    if (needsTouch({ ...this.#record, ...this.#changes.meta }, now, policy)) {
      this.#setMeta({ lastSeenAt: now });
      this.#log("expiry_extended");
    }
    if (!hasChanges(this.#changes))
      return this.#cookieStale && this.#token ? this.#cookieFor(this.#token, this.#record, now) : { kind: "none" };
    const saved = await store.save(this.#record.tokenHash, this.#changes);
    if (!saved) {
      // Revoked or expired while this request ran: never resurrect it.
      this.#record = null;
      this.#token = null;
      return { kind: "clear" };
    }
    const token = this.#token as string;
    // A cookie that carries the record must be resealed after every write.
    const reissue =
      this.#cookieStale ||
      store.recordInCookie === true ||
      saved.expiresAt.getTime() !== this.#record.expiresAt.getTime();
    this.#adopt(token, saved);
    return reissue ? this.#cookieFor(token, saved, now) : { kind: "none" };
  }

  /**
   * Asks the store whether the record, holding `data`, still fits where it keeps it (the cookie
   * engine's 4 KB). A session not stored yet is measured as the record it would become; the token
   * hash has a fixed length, so a stand-in measures the same.
   */
  #assertFits(data: SessionData): void {
    const { store } = this.#ctx;
    if (!store.assertFits) return;
    const base = this.#record
      ? { ...this.#record, ...this.#changes.meta }
      : this.#newRecord(UNSTORED_TOKEN_HASH, this.#ctx.now());
    store.assertFits({ ...base, data, events: this.events });
  }

  #newRecord(tokenHash: string, now: Date): SessionRecord {
    const persistent = this.#meta("persistent") ?? false;
    const absoluteExpiresAt = this.#meta("absoluteExpiresAt") ?? absoluteExpiryFrom(now, persistent, this.#ctx.policy);
    const fields = {
      lastSeenAt: now,
      absoluteExpiresAt,
      persistent,
      expiryAge: this.#meta("expiryAge"),
      expiryDate: this.#meta("expiryDate"),
    };
    serializeData(this.#data);
    const passwordConfirmedAt = this.#meta("passwordConfirmedAt");
    return {
      id: generateSessionId(),
      tokenHash,
      userId: this.userId,
      data: { ...this.#data },
      createdAt: now,
      expiresAt: computeExpiresAt(fields, this.#ctx.policy),
      passwordConfirmedAt,
      userAgent: this.#ctx.userAgent,
      ip: this.#ctx.ip,
      events: appendEvents([{ at: now.toISOString(), type: "created" }], this.#changes.events),
      ...fields,
    };
  }

  #adopt(token: string, record: SessionRecord): void {
    this.#token = token;
    this.#record = record;
    this.#data = { ...record.data };
    this.#changes = NO_CHANGES();
    this.#cookieStale = false;
  }

  #cookieFor(token: string, record: SessionRecord, now: Date): CookieInstruction {
    return { kind: "set", token, maxAge: cookieMaxAgeFor(record, now) };
  }

  #remove(key: string): void {
    const { [key]: _removed, ...rest } = this.#data;
    this.#data = rest;
    delete this.#changes.set[key];
    if (!this.#changes.deleted.includes(key)) this.#changes.deleted.push(key);
    this.modified = true;
    this.#log("key_deleted", keyNameForLog(key));
  }

  /** Records a step in the activity log: key names and descriptions only, never values. */
  #log(type: SessionEvent["type"], detail?: string): void {
    this.#changes.events.push({ at: this.#ctx.now().toISOString(), type, ...(detail === undefined ? {} : { detail }) });
  }

  /** Notes in this session's log that it ended another session. */
  noteRevoked(description: string): void {
    this.#log("revoked", description);
    this.modified = true;
  }

  #meta<K extends keyof SessionMeta>(field: K): SessionMeta[K] | null {
    if (Object.hasOwn(this.#changes.meta, field)) return this.#changes.meta[field] as SessionMeta[K];
    return this.#record ? this.#record[field] : null;
  }

  /** Records metadata changes and keeps the stored expiry consistent with them. */
  #setMeta(meta: Partial<SessionMeta>): void {
    Object.assign(this.#changes.meta, meta);
    this.modified = true;
    if (this.#record) {
      const merged = { ...this.#record, ...this.#changes.meta };
      this.#changes.meta.expiresAt = computeExpiresAt(merged, this.#ctx.policy);
      this.#cookieStale = this.#cookieStale || "expiryAge" in meta || "expiryDate" in meta || "persistent" in meta;
    }
  }
}
