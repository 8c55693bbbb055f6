import type { EndReason, SessionChanges, SessionRecord, SessionStore } from "../store";
import type { RedisConnection } from "./redis-connection";
import { decodeRecord, encodeRecord, isDoomed, KeyedQueue, liveSessionsOf, mergeWithRetries, ttlMs, type DeleteForUserOptions, type Log } from "./shared";


/**
 * Writes a session only if it still holds what we read (compare-and-set), and indexes it under its
 * user. ARGV: the value read ("" to create), the new value, the TTL in ms, the token hash.
 */
const WRITE = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 'exists' end
elseif not current then return 'missing'
elseif current ~= ARGV[1] then return 'conflict' end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if KEYS[2] then
  redis.call('SADD', KEYS[2], ARGV[4])
  if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
end
return 'ok'`;

/**
 * Django's `backends/cache.py` on Redis: `<prefix>session:<hash>` holds the record with a TTL equal
 * to its expiry, `<prefix>user:<id>` the user's token hashes, `<prefix>ended:<hash>` an end reason.
 * Redis expires keys itself, so clearExpired has nothing to do. What Redis loses is lost.
 */
export class RedisSessionStore implements SessionStore {
  readonly engine = "cache";
  readonly #queue = new KeyedQueue();

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = "sesame:",
    private readonly log: Log = console.warn,
  ) {}

  #key = (hash: string) => `${this.prefix}session:${hash}`;
  #userKey = (userId: string) => `${this.prefix}user:${userId}`;
  #endedKey = (hash: string) => `${this.prefix}ended:${hash}`;

  async #read(hash: string): Promise<{ record: SessionRecord; version: string } | null> {
    const raw = await this.redis.get(this.#key(hash));
    const record = raw === null ? null : decodeRecord(raw, this.log, hash.slice(0, 8));
    return record && raw !== null ? { record, version: raw } : null;
  }

  async #write(record: SessionRecord, expected: string): Promise<string> {
    const keys = [this.#key(record.tokenHash), ...(record.userId ? [this.#userKey(record.userId)] : [])];
    const args = [expected, encodeRecord(record), String(ttlMs(record.expiresAt)), record.tokenHash];
    return String(await this.redis.eval(WRITE, { keys, arguments: args }));
  }

  async load(hash: string): Promise<SessionRecord | null> {
    return (await this.#read(hash))?.record ?? null;
  }

  async exists(hash: string): Promise<boolean> {
    return (await this.redis.exists(this.#key(hash))) > 0;
  }

  async create(record: SessionRecord): Promise<void> {
    if ((await this.#write(record, "")) !== "ok") throw new Error("A session with this key already exists.");
  }

  save(hash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    return this.#queue.run(hash, () =>
      mergeWithRetries(() => this.#read(hash), changes, async (merged, version) => {
        const outcome = await this.#write(merged, version);
        return outcome === "ok" || outcome === "missing" ? outcome : "conflict";
      }),
    );
  }

  async delete(hash: string, reason?: EndReason): Promise<void> {
    const current = await this.#read(hash);
    if (!current) return;
    const { record } = current;
    const multi = this.redis.multi().del(this.#key(hash));
    if (record.userId) multi.sRem(this.#userKey(record.userId), hash);
    if (reason) multi.set(this.#endedKey(hash), reason, { expiration: { type: "PX", value: ttlMs(record.expiresAt) } });
    await multi.exec();
  }

  async endReason(hash: string): Promise<EndReason | null> {
    return ((await this.redis.get(this.#endedKey(hash))) as EndReason | null) ?? null;
  }

  /** Redis drops each key when its TTL (the session's expiry) runs out: nothing is left to clear. */
  async clearExpired(): Promise<number> {
    return 0;
  }

  async #sessionsOf(userId: string): Promise<SessionRecord[]> {
    const hashes = await this.redis.sMembers(this.#userKey(userId));
    if (hashes.length === 0) return [];
    const raws = await this.redis.mGet(hashes.map((hash) => this.#key(hash)));
    const gone = hashes.filter((_, i) => raws[i] === null);
    if (gone.length > 0) await this.redis.sRem(this.#userKey(userId), gone);
    return raws.flatMap((raw, i) => (raw === null ? [] : [decodeRecord(raw, this.log, String(hashes[i]).slice(0, 8))]))
      .filter((r): r is SessionRecord => r !== null && r.userId === userId);
  }

  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return liveSessionsOf(await this.#sessionsOf(userId), userId, now);
  }

  async deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    const doomed = (await this.#sessionsOf(userId)).filter((r) => isDoomed(r, userId, options));
    await Promise.all(doomed.map((r) => this.delete(r.tokenHash, options.reason)));
    return doomed.length;
  }
}
