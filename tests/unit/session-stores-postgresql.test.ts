import { beforeAll, describe, expect, it } from "vitest";
import { openPostgresPool } from "@/lib/db/client";
import { CachedSessionStore } from "@/lib/session/backends/cached-db";
import { PostgresSessionStore } from "@/lib/session/backends/db-postgresql";
import { LruSessionCache } from "@/lib/session/backends/read-through-cache";
import { createTokenSealer } from "@/lib/session/sealer";
import { Session, type SessionContext } from "@/lib/session/session";
import type { SessionStore } from "@/lib/session/store";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "./support/postgres";
import { CONTRACT_POLICY, describeSessionStore, testContext, type StoreFixture } from "./support/store-contract";
import { describeTwoServers } from "./support/two-servers";

const lru = (): LruSessionCache => new LruSessionCache({ maxEntries: 3, maxBytes: 1024 * 1024 });

/** A suite's fixture on its own database of a real PostgreSQL, emptied before each test. */
function onPostgres(
  build: (test: PostgresTestDatabase, log: (message: string) => void) => SessionStore,
  { corruptible = true } = {},
): () => Promise<StoreFixture> {
  let database: Promise<PostgresTestDatabase> | undefined;
  return async () => {
    database ??= createPostgresTestDatabase();
    const test = await database;
    await test.truncate();
    const logged: string[] = [];
    return {
      store: build(test, (message) => logged.push(message)),
      logged,
      async createUser(id) {
        await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
      },
      corruptData: corruptible
        ? async (tokenHash) => {
            await test.pool.query(`UPDATE "Session" SET "data" = '{not json' WHERE "tokenHash" = $1`, [tokenHash]);
          }
        : undefined,
    };
  };
}

describeSessionStore(
  "PostgresSessionStore (db on PostgreSQL)",
  onPostgres((test, log) => new PostgresSessionStore(test.pool, log)),
);

// The version-checked in-process cache over PostgreSQL. The engines do not build it there (the check
// costs a round trip), but the combination must still keep the contract. No corruptData: a write
// that does not bump the row's version is invisible to the cache by design.
describeSessionStore(
  "CachedSessionStore (in-process LRU) over PostgresSessionStore",
  onPostgres((test, log) => new CachedSessionStore(new PostgresSessionStore(test.pool, log), lru()), {
    corruptible: false,
  }),
);

// Two app servers on one PostgreSQL, each with its own pool, as db runs them there (no in-process cache).
let shared: Promise<PostgresTestDatabase> | undefined;
describeTwoServers(
  "two servers on one PostgreSQL",
  async () => {
    shared ??= createPostgresTestDatabase();
    const test = await shared;
    await test.truncate();
    const second = openPostgresPool(test.url, { max: 20 });
    return {
      test,
      a: new PostgresSessionStore(test.pool, () => undefined),
      b: new PostgresSessionStore(second, () => undefined),
      createUser: async (id) => {
        await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
      },
      cleanup: () => second.end(),
    };
  },
  (get) => {
    it("clearing expired rows from a third connection keeps live sessions and removes every expired one", async () => {
      const { test, b, loggedInThroughA } = get();
      await loggedInThroughA();
      await test.pool.query(
        `INSERT INTO "Session" ("id", "tokenHash", "lastSeenAt", "expiresAt", "absoluteExpiresAt")
         SELECT 'expired-' || n, md5(n::text) || md5((n + 1)::text), now(), now() - interval '1 hour', now()
         FROM generate_series(1, 5000) AS n`,
      );
      expect(await new PostgresSessionStore(test.pool, () => undefined).clearExpired(new Date())).toBe(5000);
      expect((await test.pool.query(`SELECT "userId" FROM "Session"`)).rows).toEqual([{ userId: "u1" }]);
      expect(await b.listForUser("u1", new Date())).toHaveLength(1);
    });
  },
);

describe("PostgresSessionStore specifics", () => {
  let test: PostgresTestDatabase;
  const sealer = createTokenSealer(["pg-specifics-secret-0123456789abcdefghij"]);

  beforeAll(async () => {
    test = await createPostgresTestDatabase();
  });

  it("reads back the exact instants it wrote, whatever the database session's time zone", async () => {
    const zoned = openPostgresPool(`${test.url}?options=-c%20TimeZone%3DAsia%2FKathmandu`, { max: 1 });
    try {
      expect((await zoned.query("SHOW TimeZone")).rows[0]?.TimeZone).toBe("Asia/Kathmandu");
      const store = new PostgresSessionStore(zoned, () => undefined);
      const now = new Date("2031-06-15T23:59:58.123Z");
      const session = Session.create({ ...contextOf(store), now: () => now });
      session.set("a", 1);
      await session.save();
      const record = await new PostgresSessionStore(test.pool, () => undefined).load(session.tokenHash as string);
      expect(record?.createdAt.toISOString()).toBe("2031-06-15T23:59:58.123Z");
      expect(record?.expiresAt.getTime()).toBe(now.getTime() + CONTRACT_POLICY.idleSeconds * 1000);
      // And Prisma, which owns every other query, sees the same instant.
      const row = await test.db.session.findUnique({ where: { tokenHash: session.tokenHash as string } });
      expect(row?.createdAt.toISOString()).toBe("2031-06-15T23:59:58.123Z");
    } finally {
      await zoned.end();
    }
  });

  it("survives a connection lost in the middle of a save: the save fails, the process and the pool go on", async () => {
    await test.truncate();
    const logged: string[] = [];
    const store = new PostgresSessionStore(test.pool, (message) => logged.push(message));
    const session = Session.create(contextOf(store));
    session.set("a", 1);
    await session.save();
    const hash = session.tokenHash as string;
    // Another server holds the row, so the save waits on its lock; then its connection is cut.
    const holder = await test.pool.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "Session" WHERE "tokenHash" = $1 FOR UPDATE`, [hash]);
    const changes = { cleared: false, set: { b: 2 }, deleted: [], meta: {}, events: [] };
    const saving = store.save(hash, changes);
    await expect
      .poll(
        async () =>
          (await test.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`))
            .rows[0]?.n,
      )
      .toBe(1);
    // (Asked from outside the holder's transaction, whose view of pg_stat_activity is frozen.)
    await test.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
    );
    await expect(saving).rejects.toThrow();
    await holder.query("COMMIT");
    holder.release();
    expect(logged.join("\n")).toMatch(/PostgreSQL connection lost/);
    expect((await store.save(hash, changes))?.data).toEqual({ a: 1, b: 2 });
  });

  it("stores data as JSON text and the token only as its SHA-256 hash", async () => {
    await test.truncate();
    const store = new PostgresSessionStore(test.pool, () => undefined);
    const session = Session.create(contextOf(store));
    session.set("greeting", "hello");
    const instruction = await session.save();
    if (instruction.kind !== "set") throw new Error("expected a new cookie");
    const { rows } = await test.pool.query(`SELECT "tokenHash", "data" FROM "Session"`);
    expect(rows).toEqual([{ tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/), data: '{"greeting":"hello"}' }]);
    expect(JSON.stringify(rows)).not.toContain(instruction.token);
  });

  it("deleting a user through Prisma deletes their sessions (the foreign key cascades)", async () => {
    await test.truncate();
    const store = new PostgresSessionStore(test.pool, () => undefined);
    await test.db.user.create({ data: { id: "u9", email: "u9@example.test", passwordHash: "x" } });
    const session = Session.create(contextOf(store));
    await session.login("u9");
    await session.save();
    expect(await store.exists(session.tokenHash as string)).toBe(true);
    await test.db.user.delete({ where: { id: "u9" } });
    expect(await store.exists(session.tokenHash as string)).toBe(false);
  });

  const contextOf = (store: SessionStore): SessionContext => testContext(store, { sealer });
});
