import {
  type DeleteForUserOptions,
  type EndReason,
  isDoomed,
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
import type { Log, SessionStore } from "../store";
import type { RedisConnection } from "./redis-connection";
import { decodeRecord, encodeRecord } from "./record-codec";
import { endUntilNoneLeft, KeyedQueue, mergeWithRetries } from "./concurrency";
import { ttlMs } from "../expiry";

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
 * Moves a session to a new key only if the old one still holds what we read: deletes it, writes
 * the new one with its TTL, and moves the token hash between user indexes. KEYS: the old session,
 * the new session, then the index to leave (if ARGV[6] is '1') and the index to join (if ARGV[7]
 * is '1'). ARGV: the value read, the new value, the TTL in ms, the old and the new token hash.
 */
const ROTATE = `
local current = redis.call('GET', KEYS[1])
if not current then return 'missing' end
if current ~= ARGV[1] then return 'conflict' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'exists' end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local index = 3
if ARGV[6] == '1' then
  redis.call('SREM', KEYS[index], ARGV[4])
  index = index + 1
end
if ARGV[7] == '1' then
  redis.call('SADD', KEYS[index], ARGV[5])
  if redis.call('PTTL', KEYS[index]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[index], ARGV[3]) end
end
return 'ok'`;

/**
 * A user's sessions in one atomic step: KEYS[1] is the user's index, ARGV[1] the session key prefix.
 * Returns token hash and value pairs, and drops from the index the hashes whose session expired.
 * The session keys are built here rather than declared: this needs a single Redis, not a cluster.
 */
const SESSIONS_OF = `
local found = {}
for _, hash in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local value = redis.call('GET', ARGV[1] .. hash)
  if value then
    found[#found + 1] = hash
    found[#found + 1] = value
  else
    redis.call('SREM', KEYS[1], hash)
  end
end
return found`;

/**
 * Django's `backends/cache.py` on Redis: `<prefix>session:<hash>` holds the record with a TTL equal
 * to its expiry, `<prefix>user:<id>` the user's token hashes, `<prefix>ended:<hash>` an end reason.
 * Redis expires keys itself, so clearExpired has nothing to do. What Redis loses is lost.
 */
export class RedisSessionStore implements SessionStore {
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
      mergeWithRetries(
        () => this.#read(hash),
        (current) => mergeRecord(current, changes),
        async (merged, version) => {
          const outcome = await this.#write(merged, version);
          return outcome === "ok" || outcome === "missing" ? outcome : "conflict";
        },
      ),
    );
  }

  /** Compare-and-set on the old value, as save does, so the merge is with what is stored now. */
  rotate(oldHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null> {
    return this.#queue.run(oldHash, () =>
      mergeWithRetries(
        () => this.#read(oldHash),
        (current) => rotateRecord(current, key, changes),
        async (next, version, current) => {
          const leave = current.userId ? [this.#userKey(current.userId)] : [];
          const join = next.userId ? [this.#userKey(next.userId)] : [];
          const keys = [this.#key(oldHash), this.#key(next.tokenHash), ...leave, ...join];
          const flags = [leave.length > 0 ? "1" : "", join.length > 0 ? "1" : ""];
          const args = [version, encodeRecord(next), String(ttlMs(next.expiresAt)), oldHash, next.tokenHash, ...flags];
          const outcome = String(await this.redis.eval(ROTATE, { keys, arguments: args }));
          if (outcome === "exists") throw new Error("A session with this key already exists.");
          return outcome === "ok" || outcome === "missing" ? outcome : "conflict";
        },
      ),
    );
  }

  async delete(hash: string, reason?: EndReason): Promise<void> {
    await this.#end(hash, reason);
  }

  /** Deletes a session (and leaves its end reason); true if this call removed it. */
  async #end(hash: string, reason?: EndReason): Promise<boolean> {
    const current = await this.#read(hash);
    if (!current) return false;
    const { record } = current;
    const multi = this.redis.multi().del(this.#key(hash));
    if (record.userId) multi.sRem(this.#userKey(record.userId), hash);
    if (reason) multi.set(this.#endedKey(hash), reason, { expiration: { type: "PX", value: ttlMs(record.expiresAt) } });
    const [deleted] = await multi.exec();
    return Number(deleted) > 0;
  }

  async endReason(hash: string): Promise<EndReason | null> {
    return ((await this.redis.get(this.#endedKey(hash))) as EndReason | null) ?? null;
  }

  /** Redis drops each key when its TTL (the session's expiry) runs out: nothing is left to clear. */
  async clearExpired(): Promise<number> {
    return 0;
  }

  /** The user's sessions, read in one step, so that a rotation shows them under the old key or the new one, never neither. */
  async #sessionsOf(userId: string): Promise<SessionRecord[]> {
    const pairs = (await this.redis.eval(SESSIONS_OF, {
      keys: [this.#userKey(userId)],
      arguments: [this.#key("")],
    })) as string[];
    const records: SessionRecord[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const record = decodeRecord(String(pairs[i + 1]), this.log, String(pairs[i]).slice(0, 8));
      if (record?.userId === userId) records.push(record);
    }
    return records;
  }

  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return liveSessionsOf(await this.#sessionsOf(userId), userId, now);
  }

  async deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    return endUntilNoneLeft(
      async () => (await this.#sessionsOf(userId)).filter((r) => isDoomed(r, userId, options)),
      (hash) => this.#end(hash, options.reason),
    );
  }

  /**
   * Every stored session, by SCAN over the session keys (never KEYS, which would stop Redis while it
   * walks them all), read a batch at a time. The admin's listing costs a walk of every session; Redis
   * keeps no order to page through.
   */
  async #all(): Promise<SessionRecord[]> {
    const prefix = this.#key("");
    const records: SessionRecord[] = [];
    const match = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
    for await (const keys of this.redis.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (keys.length === 0) continue;
      const values = await this.redis.mGet(keys);
      values.forEach((raw, i) => {
        const hash = String(keys[i]).slice(prefix.length);
        const record = raw === null ? null : decodeRecord(String(raw), this.log, hash.slice(0, 8));
        if (record?.tokenHash === hash) records.push(record);
      });
    }
    return records;
  }

  async listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage> {
    const records = query.userIds
      ? (await Promise.all(query.userIds.map((userId) => this.#sessionsOf(userId)))).flat()
      : await this.#all();
    return pageOfLiveSessions(records, now, query);
  }

  async findById(id: string): Promise<SessionRecord | null> {
    return (await this.#all()).find((record) => record.id === id) ?? null;
  }
}
