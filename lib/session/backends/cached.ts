import { LRUCache } from "lru-cache";
import type { EndReason, SessionChanges, SessionRecord, SessionStore } from "../store";

/**
 * Django's `cached_db`, in the process: reads come from a bounded LRU and fall through to the
 * wrapped store; every write and revocation goes to the store first and then updates or evicts
 * the cache, so a revocation takes effect on the very next request in this process.
 * Several processes each keep their own cache: share one (Redis) before running more than one.
 */
export class CachedSessionStore implements SessionStore {
  readonly #cache: LRUCache<string, SessionRecord>;
  /** Bumped by every eviction, so a load that raced one never caches what was just removed. */
  #epoch = 0;

  constructor(
    private readonly inner: SessionStore,
    max = 10_000,
  ) {
    this.#cache = new LRUCache({ max });
  }

  get engine(): string {
    return this.inner.engine;
  }

  async load(tokenHash: string): Promise<SessionRecord | null> {
    const cached = this.#cache.get(tokenHash);
    if (cached) return structuredClone(cached);
    const epoch = this.#epoch;
    const record = await this.inner.load(tokenHash);
    if (record && epoch === this.#epoch) this.#cache.set(tokenHash, structuredClone(record));
    return record;
  }

  async exists(tokenHash: string): Promise<boolean> {
    return this.#cache.has(tokenHash) || this.inner.exists(tokenHash);
  }

  async create(record: SessionRecord): Promise<void> {
    await this.inner.create(record);
    this.#cache.set(record.tokenHash, structuredClone(record));
  }

  async save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    const saved = await this.inner.save(tokenHash, changes);
    if (saved) this.#cache.set(tokenHash, structuredClone(saved));
    else this.#evict((record) => record.tokenHash === tokenHash);
    return saved;
  }

  async delete(tokenHash: string, reason?: EndReason): Promise<void> {
    await this.inner.delete(tokenHash, reason);
    this.#evict((record) => record.tokenHash === tokenHash);
  }

  endReason(tokenHash: string): Promise<EndReason | null> {
    return this.inner.endReason(tokenHash);
  }

  async clearExpired(now: Date): Promise<number> {
    const removed = await this.inner.clearExpired(now);
    this.#evict((record) => record.expiresAt <= now);
    return removed;
  }

  listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.inner.listForUser(userId, now);
  }

  async deleteForUser(userId: string, options: { reason: EndReason; id?: string; exceptTokenHash?: string }): Promise<number> {
    const ended = await this.inner.deleteForUser(userId, options);
    this.#evict(
      (record) =>
        record.userId === userId &&
        record.tokenHash !== options.exceptTokenHash &&
        (options.id === undefined || record.id === options.id),
    );
    return ended;
  }

  #evict(matches: (record: SessionRecord) => boolean): void {
    this.#epoch += 1;
    for (const [hash, record] of this.#cache.entries()) if (matches(record)) this.#cache.delete(hash);
  }
}
