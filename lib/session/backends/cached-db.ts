import {
  type DeleteForUserOptions,
  type EndReason,
  isDoomed,
  type LiveSessionPage,
  type LiveSessionQuery,
  type NewKey,
  type SessionChanges,
  type SessionRecord,
} from "../record";
import type { Log, SessionStore } from "../store";
import type { SessionCache } from "./read-through-cache";

/**
 * Stores whose rows carry a version that every write bumps (the db store). A cache in one process
 * cannot hear another server's writes, so each hit is checked against the row's version: a row
 * that changed or went (logout, revocation, password change, anywhere) is never served from it.
 */
export interface VersionedStore {
  versionOf(tokenHash: string): Promise<number | null>;
  loadVersioned(tokenHash: string): Promise<{ record: SessionRecord; version: number } | null>;
}

const isVersioned = (store: SessionStore): store is SessionStore & VersionedStore =>
  "versionOf" in store && "loadVersioned" in store;

/** Stores that can say which sessions deleteForUser ended, so a shared cache can evict exactly those. */
interface EndsForUser {
  endForUser(userId: string, options: DeleteForUserOptions): Promise<{ ended: number; hashes: string[] }>;
}

/**
 * Django's `cached_db`: reads come from the cache and fall through to the wrapped store; every
 * write and revocation goes to the store first and then updates or evicts the cache, so a
 * revocation takes effect on the very next request. The cache is an in-process LRU (one per
 * process) or Redis (shared). A cache failure is logged and the database answers instead.
 */
export class CachedSessionStore implements SessionStore {
  readonly #cache: SessionCache;
  /** An in-process cache over a versioned store: each hit is checked against the row's version. */
  readonly #versions: VersionedStore | null;
  /** Bumped by every eviction, so a load that raced one never caches what was just removed. */
  #epoch = 0;
  #failing = false;

  constructor(
    private readonly inner: SessionStore,
    cache: SessionCache,
    private readonly options: { log?: Log } = {},
  ) {
    this.#cache = cache;
    this.#versions = cache.kind === "memory" && isVersioned(inner) ? inner : null;
  }

  get cacheKind(): SessionCache["kind"] {
    return this.#cache.kind;
  }

  /** Runs a cache operation; a failure is logged (once per outage) and answered with `fallback`. */
  async #try<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
    try {
      const result = await operation();
      if (this.#failing) (this.options.log ?? console.warn)("[sesame] the session cache works again.");
      this.#failing = false;
      return result;
    } catch (error) {
      if (!this.#failing) {
        const reason = error instanceof Error ? error.message : String(error);
        (this.options.log ?? console.warn)(`[sesame] the session cache failed (${reason}); using the database.`);
      }
      this.#failing = true;
      return fallback;
    }
  }

  async load(tokenHash: string): Promise<SessionRecord | null> {
    if (this.#versions) return this.#loadChecked(this.#versions, tokenHash);
    const cached = await this.#try(() => this.#cache.get(tokenHash), undefined);
    if (cached) return cached.record;
    const epoch = this.#epoch;
    const record = await this.inner.load(tokenHash);
    if (record && epoch === this.#epoch) await this.#try(() => this.#cache.set(record), undefined);
    return record;
  }

  /** A hit counts only if the row still has the version it was copied at; else the row is read again. */
  async #loadChecked(versions: VersionedStore, tokenHash: string): Promise<SessionRecord | null> {
    const version = await versions.versionOf(tokenHash);
    if (version === null) {
      await this.#cache.delete([tokenHash]);
      return null;
    }
    const cached = await this.#cache.get(tokenHash);
    if (cached?.version === version) return cached.record;
    const loaded = await versions.loadVersioned(tokenHash);
    if (loaded) await this.#cache.set(loaded.record, loaded.version);
    return loaded?.record ?? null;
  }

  /** Caches a record just written. A checked cache drops it instead: only a read learns its version. */
  async #remember(record: SessionRecord): Promise<void> {
    if (this.#versions) await this.#cache.delete([record.tokenHash]);
    else await this.#try(() => this.#cache.set(record), undefined);
  }

  /** Asks the database: a shared cache may still hold a row that clearExpired just removed (until its TTL). */
  exists(tokenHash: string): Promise<boolean> {
    return this.inner.exists(tokenHash);
  }

  async create(record: SessionRecord): Promise<void> {
    await this.inner.create(record);
    await this.#remember(record);
  }

  async save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    const saved = await this.inner.save(tokenHash, changes);
    if (saved) await this.#remember(saved);
    else await this.#evict([tokenHash]);
    return saved;
  }

  /**
   * The wrapped store rotates atomically; the cache forgets the old key. The new record is cached
   * by its first read: caching it here could race a revocation that has just evicted it.
   */
  async rotate(oldTokenHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null> {
    const rotated = await this.inner.rotate(oldTokenHash, key, changes);
    await this.#evict([oldTokenHash]);
    return rotated;
  }

  async delete(tokenHash: string, reason?: EndReason): Promise<void> {
    await this.inner.delete(tokenHash, reason);
    await this.#evict([tokenHash]);
  }

  endReason(tokenHash: string): Promise<EndReason | null> {
    return this.inner.endReason(tokenHash);
  }

  async clearExpired(now: Date): Promise<number> {
    const removed = await this.inner.clearExpired(now);
    this.#epoch += 1;
    await this.#try(() => this.#cache.deleteWhere((record) => record.expiresAt <= now), undefined);
    return removed;
  }

  listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.inner.listForUser(userId, now);
  }

  async deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    if ("endForUser" in this.inner) {
      const { ended, hashes } = await (this.inner as SessionStore & EndsForUser).endForUser(userId, options);
      await this.#evict(hashes);
      return ended;
    }
    const count = await this.inner.deleteForUser(userId, options);
    this.#epoch += 1;
    await this.#try(() => this.#cache.deleteWhere((record) => isDoomed(record, userId, options)), undefined);
    return count;
  }

  /** The admin reads the database, which holds every session; the cache holds only the recently read. */
  listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage> {
    return this.inner.listLive(now, query);
  }

  findById(id: string): Promise<SessionRecord | null> {
    return this.inner.findById(id);
  }

  async #evict(hashes: string[]): Promise<void> {
    this.#epoch += 1;
    await this.#try(() => this.#cache.delete(hashes), undefined);
  }
}
