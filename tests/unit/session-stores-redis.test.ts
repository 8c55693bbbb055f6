import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisSessionCache } from "@/lib/session/backends/read-through-cache";
import { CachedSessionStore } from "@/lib/session/backends/cached-db";
import { DbSessionStore } from "@/lib/session/backends/db";
import { RedisSessionStore } from "@/lib/session/backends/cache";
import { createRedisConnection, type RedisConnection } from "@/lib/session/backends/redis-connection";
import { createTokenSealer } from "@/lib/session/sealer";
import { openSession } from "@/lib/session/open-session";
import { Session, type SessionContext } from "@/lib/session/session";
import type { SessionStore } from "@/lib/session/store";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { startRedis, type ThrowawayRedis } from "@/scripts/throwaway-redis.mjs";
import { CONTRACT_POLICY, describeSessionStore, testContext } from "./support/store-contract";

// A real redis-server for this file, on a free loopback port; nothing is mocked.
let server: ThrowawayRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

/** A connected client and a key prefix of its own, so tests never see each other's keys. */
async function connect(
  log: (message: string) => void = () => undefined,
): Promise<{ redis: RedisConnection; prefix: string }> {
  const redis = createRedisConnection(server.url, log);
  await redis.connect();
  return { redis, prefix: `test:${randomBytes(4).toString("hex")}:` };
}

describeSessionStore(
  "RedisSessionStore (SESSION_ENGINE=cache)",
  async () => {
    const logged: string[] = [];
    const { redis, prefix } = await connect();
    return {
      store: new RedisSessionStore(redis, prefix, (m) => logged.push(m)),
      logged,
      cleanup: async () => void (await redis.close()),
      async corruptData(tokenHash) {
        const key = `${prefix}session:${tokenHash}`;
        const stored = JSON.parse((await redis.get(key)) as string) as Record<string, unknown>;
        await redis.set(key, JSON.stringify({ ...stored, data: "{not json" }), { expiration: "KEEPTTL" });
      },
    };
  },
  { expiresByTtl: true },
);

describeSessionStore("cached_db with Redis as the cache", async () => {
  const test = await createTestDatabase();
  const { redis, prefix } = await connect();
  return {
    store: new CachedSessionStore(
      new DbSessionStore(test.sqlite, () => undefined),
      new RedisSessionCache(redis, prefix),
    ),
    cleanup: async () => {
      await redis.close();
      await test.cleanup();
    },
    async createUser(id) {
      await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
    },
  };
});

const sealer = createTokenSealer(["redis-specifics-secret-0123456789abcdefghij"]);
const context = (store: SessionStore): SessionContext => testContext(store, { sealer });

async function storedCookie(
  store: SessionStore,
  data: Record<string, unknown>,
): Promise<{ cookie: string; session: Session }> {
  const session = Session.create(context(store));
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const instruction = await session.save();
  if (instruction.kind !== "set") throw new Error("expected a new cookie");
  return { cookie: await sealer.seal(instruction.token), session };
}

describe("RedisSessionStore specifics", () => {
  let redis: RedisConnection;
  let prefix: string;
  afterEach(async () => {
    await redis.close();
  });

  it("keys carry the prefix and a TTL equal to the session's expiry; end reasons too", async () => {
    ({ redis, prefix } = await connect());
    const store = new RedisSessionStore(redis, prefix);
    const { session } = await storedCookie(store, { a: 1 });
    const hash = session.tokenHash as string;
    const ttl = await redis.pTTL(`${prefix}session:${hash}`);
    expect(ttl).toBeGreaterThan(CONTRACT_POLICY.idleSeconds * 1000 - 5000);
    expect(ttl).toBeLessThanOrEqual(CONTRACT_POLICY.idleSeconds * 1000);
    await store.delete(hash, "revoked");
    expect(await redis.exists(`${prefix}session:${hash}`)).toBe(0);
    expect(await redis.pTTL(`${prefix}ended:${hash}`)).toBeGreaterThan(0);
    expect(await store.endReason(hash)).toBe("revoked");
  });

  it("keeps a per-user set of token hashes, and forgets hashes whose keys expired", async () => {
    ({ redis, prefix } = await connect());
    const store = new RedisSessionStore(redis, prefix);
    const s = Session.create(context(store));
    await s.login("u1");
    await s.save();
    expect(await redis.sMembers(`${prefix}user:u1`)).toEqual([s.tokenHash]);
    await redis.del(`${prefix}session:${s.tokenHash as string}`); // as if its TTL ran out
    expect(await store.listForUser("u1", new Date())).toEqual([]);
    expect(await redis.sMembers(`${prefix}user:u1`)).toEqual([]);
  });

  it("data Redis loses is lost: the cookie then opens nothing", async () => {
    ({ redis, prefix } = await connect());
    const store = new RedisSessionStore(redis, prefix);
    const { cookie } = await storedCookie(store, { cart: ["book"] });
    await redis.flushDb();
    expect((await openSession(context(store), cookie)).rejected).toBe("unknown");
  });

  it("two store instances (two app servers) on one Redis merge parallel saves", async () => {
    ({ redis, prefix } = await connect());
    const other = await connect();
    try {
      const stores = [new RedisSessionStore(redis, prefix), new RedisSessionStore(other.redis, prefix)];
      const { cookie } = await storedCookie(stores[0] as SessionStore, { base: 0 });
      const opened = await Promise.all(
        Array.from({ length: 20 }, (_, i) => openSession(context(stores[i % 2] as SessionStore), cookie)),
      );
      opened.forEach(({ session }, i) => session.set(`key${i}`, i));
      await Promise.all(opened.map(({ session }) => session.save()));
      const { session } = await openSession(context(stores[1] as SessionStore), cookie);
      expect(session.keys()).toHaveLength(21);
    } finally {
      await other.redis.close();
    }
  });
});

describe("cached_db when Redis dies in the middle of a run", () => {
  let test: TestDatabase;
  let own: ThrowawayRedis;
  afterEach(async () => {
    await own?.stop();
    await test?.cleanup();
  });

  it("keeps serving from the database, logs the failure, and never errors", async () => {
    test = await createTestDatabase();
    own = await startRedis();
    const logged: string[] = [];
    const redis = createRedisConnection(own.url, (m) => logged.push(m));
    await redis.connect();
    const store = new CachedSessionStore(
      new DbSessionStore(test.sqlite, () => undefined),
      new RedisSessionCache(redis, "sesame:"),
      {
        log: (m) => logged.push(m),
      },
    );
    try {
      const { cookie } = await storedCookie(store, { before: 1 });
      expect(await redis.keys("sesame:cache:*")).toHaveLength(1); // cached in Redis

      await own.kill();

      // Reads, writes, new sessions and revocations all carry on from the database.
      const { session, rejected } = await openSession(context(store), cookie);
      expect(rejected).toBeNull();
      expect(session.toJSON()).toEqual({ before: 1 });
      session.set("after", 2);
      await session.save();
      expect((await openSession(context(store), cookie)).session.toJSON()).toEqual({ before: 1, after: 2 });
      const fresh = await storedCookie(store, { born: "while Redis was down" });
      expect((await openSession(context(store), fresh.cookie)).session.get("born")).toBe("while Redis was down");
      await store.delete(fresh.session.tokenHash as string, "revoked");
      expect((await openSession(context(store), fresh.cookie)).rejected).toBe("revoked");

      expect(logged.some((m) => m.includes("the session cache failed"))).toBe(true);
      expect(logged.filter((m) => m.includes("the session cache failed"))).toHaveLength(1); // once per outage
    } finally {
      await redis.destroy();
    }
  });
});
