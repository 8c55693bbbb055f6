import { LRUCache } from "lru-cache";
import type { SessionRecord } from "../record";
import { decodeRecord, encodeRecord } from "./record-codec";
import { ttlMs } from "../expiry";
import { type Log } from "../store";
import type { RedisConnection } from "./redis-connection";

/** A cached record, with the version of the row it was copied from when the cache was told it. */
export interface CachedRecord {
  record: SessionRecord;
  version?: number;
}

/** The cache in front of the database for `cached_db` (and `db` with SESSION_CACHE_SIZE). */
export interface SessionCache {
  readonly kind: "memory" | "redis";
  get(tokenHash: string): Promise<CachedRecord | undefined>;
  set(record: SessionRecord, version?: number): Promise<void>;
  delete(tokenHashes: string[]): Promise<void>;
  /** Drops matching entries, for caches that can list theirs; Redis ones expire by TTL instead. */
  deleteWhere(matches: (record: SessionRecord) => boolean): Promise<void>;
}

/**
 * The cached record with a deep copy of its data, which `session.get()` hands out to be changed.
 * The rest is never changed in place (saves build new records and event lists), so it is shared.
 */
const copyData = (record: SessionRecord): SessionRecord => ({ ...record, data: structuredClone(record.data) });

/** What a cached record holds besides its data and events (ids, dates, the LRU's own slot): a rough figure. */
const RECORD_OVERHEAD_BYTES = 1024;

/**
 * About how many bytes a cached record holds: its data and events as JSON, its user agent (a
 * header the client chooses) and a fixed overhead. An estimate, not a measure of the heap, but
 * one that grows with whatever a client can make large.
 */
export function estimateRecordBytes(record: SessionRecord): number {
  return (
    JSON.stringify(record.data).length +
    JSON.stringify(record.events).length +
    (record.userAgent?.length ?? 0) +
    RECORD_OVERHEAD_BYTES
  );
}

/**
 * An LRU in this process, bounded by entries and by estimated bytes: 10,000 sessions of 60 KB
 * would otherwise hold 600 MB. A record bigger than the whole bound is not cached at all (reads
 * of it go to the store). Each process keeps its own, so another server's write cannot reach it:
 * CachedSessionStore checks every hit against the row's version (`VersionedStore`).
 */
export class LruSessionCache implements SessionCache {
  readonly kind = "memory";
  readonly #lru: LRUCache<string, CachedRecord>;

  constructor({ maxEntries, maxBytes }: { maxEntries: number; maxBytes: number }) {
    this.#lru = new LRUCache({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (entry) => estimateRecordBytes(entry.record),
    });
  }

  /** The estimated bytes held now, never more than `maxBytes`. */
  get bytes(): number {
    return this.#lru.calculatedSize;
  }

  async get(hash: string) {
    const entry = this.#lru.get(hash);
    return entry && { ...entry, record: copyData(entry.record) };
  }

  async set(record: SessionRecord, version?: number) {
    this.#lru.set(record.tokenHash, { record: copyData(record), ...(version === undefined ? {} : { version }) });
  }

  async delete(hashes: string[]) {
    for (const hash of hashes) this.#lru.delete(hash);
  }

  async deleteWhere(matches: (record: SessionRecord) => boolean) {
    for (const [hash, entry] of this.#lru.entries()) if (matches(entry.record)) this.#lru.delete(hash);
  }
}

/**
 * A cache shared by every app server, in Redis: `<prefix>cache:<hash>`, with the session's TTL.
 * If a write or an eviction fails (Redis away), the cache may hold a revoked session: it is then bypassed
 * until every entry under the prefix has been removed.
 */
export class RedisSessionCache implements SessionCache {
  readonly kind = "redis";
  #stale = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = "sesame:",
    private readonly log: Log = console.warn,
  ) {}

  #key = (hash: string) => `${this.prefix}cache:${hash}`;

  async get(hash: string): Promise<CachedRecord | undefined> {
    if (this.#stale) {
      for await (const keys of this.redis.scanIterator({ MATCH: `${this.prefix}cache:*`, COUNT: 500 })) {
        if (keys.length > 0) await this.redis.unlink(keys);
      }
      this.#stale = false;
      this.log("[sesame] the Redis session cache was emptied after a failed write; it is in use again.");
      return undefined;
    }
    const raw = await this.redis.get(this.#key(hash));
    const record = raw ? decodeRecord(raw, this.log, hash.slice(0, 8)) : null;
    return record ? { record } : undefined;
  }

  async set(record: SessionRecord): Promise<void> {
    try {
      await this.redis.set(this.#key(record.tokenHash), encodeRecord(record), {
        expiration: { type: "PX", value: ttlMs(record.expiresAt) },
      });
    } catch (error) {
      this.#stale = true; // the entry may now be older than the database
      throw error;
    }
  }

  async delete(hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    try {
      await this.redis.del(hashes.map((hash) => this.#key(hash)));
    } catch (error) {
      this.#stale = true;
      throw error;
    }
  }

  /** Entries expire with their sessions; a revocation goes through `delete` with the exact hashes. */
  async deleteWhere(): Promise<void> {}
}
