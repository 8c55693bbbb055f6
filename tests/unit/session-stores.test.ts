import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LruSessionCache } from "@/lib/session/backends/read-through-cache";
import { CachedSessionStore } from "@/lib/session/backends/cached-db";
import { COOKIE_MAX_EVENTS, createCookieEngine } from "@/lib/session/backends/cookie";
import { DbSessionStore, sqliteDate } from "@/lib/session/backends/db";
import { openSqlite } from "@/lib/db/client";
import { FileSessionStore } from "@/lib/session/backends/file";
import { MemorySessionStore } from "@/lib/session/backends/memory";
import { createTokenSealer } from "@/lib/session/sealer";
import { openSession } from "@/lib/session/open-session";
import { Session, type SessionContext } from "@/lib/session/session";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { CONTRACT_POLICY, describeSessionStore } from "./support/store-contract";
import { describeTwoServers } from "./support/two-servers";

describeSessionStore("MemorySessionStore", async () => ({ store: new MemorySessionStore() }));

describeSessionStore("DbSessionStore", async () => {
  const test = await createTestDatabase();
  const logged: string[] = [];
  return {
    store: new DbSessionStore(test.sqlite, (message) => logged.push(message)),
    cleanup: test.cleanup,
    logged,
    async createUser(id) {
      await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
    },
    async corruptData(tokenHash) {
      await test.db.$executeRawUnsafe(`UPDATE "Session" SET data = '{not json' WHERE "tokenHash" = ?`, tokenHash);
    },
  };
});

// The cache in front of the database, as the app runs it; a tiny cache so that eviction is exercised too.
describeSessionStore("CachedSessionStore over DbSessionStore", async () => {
  const test = await createTestDatabase();
  return {
    store: new CachedSessionStore(
      new DbSessionStore(test.sqlite, () => undefined),
      new LruSessionCache({ maxEntries: 3, maxBytes: 1024 * 1024 }),
    ),
    cleanup: test.cleanup,
    async createUser(id) {
      await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
    },
    // No corruptData: a write that does not bump the row's version is invisible to the cache by design.
  };
});

// Django's cached_db with its in-process cache, as createSessionEngine builds it without REDIS_URL.
describeSessionStore("cached_db with an in-process LRU", async () => {
  const test = await createTestDatabase();
  const logged: string[] = [];
  return {
    store: new CachedSessionStore(
      new DbSessionStore(test.sqlite, (m) => logged.push(m)),
      new LruSessionCache({ maxEntries: 100, maxBytes: 1024 * 1024 }),
    ),
    cleanup: test.cleanup,
    async createUser(id) {
      await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
    },
  };
});

describeSessionStore("FileSessionStore", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sesame-file-store-"));
  const logged: string[] = [];
  const store = new FileSessionStore(dir, (message) => logged.push(message));
  return {
    store,
    logged,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    async corruptData(tokenHash) {
      const file = path.join(dir, `${tokenHash}.json`);
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), data: "{not json" }));
    },
  };
});

// The whole record in the cookie: what a server-side record alone can do is declared, not faked.
describeSessionStore(
  "CookieSessionStore (SESSION_ENGINE=cookie)",
  async () => {
    const logged: string[] = [];
    const { store, sealer } = createCookieEngine(
      ["cookie-contract-secret-0123456789abcdefghij"],
      "sesame_session",
      (m) => logged.push(m),
    ).forRequest();
    return { store, sealer, logged };
  },
  { recordInCookie: true, maxEvents: COOKIE_MAX_EVENTS },
);

/** What only the database store does: rows in SQLite, shared between processes. */
describe("DbSessionStore specifics", () => {
  let test: TestDatabase;
  const sealer = createTokenSealer(["db-specifics-secret-0123456789abcdefghij"]);
  const now = new Date("2030-01-01T00:00:00.000Z");

  const contextFor = (store: DbSessionStore): SessionContext => ({
    store,
    sealer,
    policy: CONTRACT_POLICY,
    now: () => now,
    userAgent: null,
    ip: null,
  });

  async function storedCookie(ctx: SessionContext, data: Record<string, unknown>): Promise<string> {
    const s = Session.create(ctx);
    for (const [key, value] of Object.entries(data)) s.set(key, value);
    const instruction = await s.save();
    if (instruction.kind !== "set") throw new Error("expected a new cookie");
    return sealer.seal(instruction.token);
  }

  beforeEach(async () => {
    test = await createTestDatabase();
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("stores data as JSON text and the token only as its SHA-256 hash", async () => {
    const store = new DbSessionStore(test.sqlite, () => undefined);
    const s = Session.create(contextFor(store));
    s.set("greeting", "hello");
    const instruction = await s.save();
    if (instruction.kind !== "set") throw new Error("expected a new cookie");
    const rows = await test.db.$queryRawUnsafe<{ tokenHash: string; data: string }[]>(
      `SELECT "tokenHash", data FROM "Session"`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.data).toBe('{"greeting":"hello"}');
    expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(instruction.token);
  });

  it("saves from two processes (two connections) on one row merge instead of overwriting", async () => {
    const other = openSqlite(`file:${test.file}`);
    const first = new DbSessionStore(test.sqlite, () => undefined);
    const second = new DbSessionStore(other, () => undefined);
    const cookie = await storedCookie(contextFor(first), { base: 0 });
    const opened = await Promise.all(
      Array.from({ length: 10 }, (_, i) => openSession(contextFor(i % 2 === 0 ? first : second), cookie)),
    );
    opened.forEach(({ session }, i) => session.set(`key${i}`, i));
    await Promise.all(opened.map(({ session }) => session.save()));

    const { session } = await openSession(contextFor(first), cookie);
    expect(session.keys().sort()).toEqual(["base", ...Array.from({ length: 10 }, (_, i) => `key${i}`)].sort());
    other.close();
  });

  it("a save waits out another process's write lock on a timer, leaving the event loop free", async () => {
    const store = new DbSessionStore(test.sqlite, () => undefined);
    const cookie = await storedCookie(contextFor(store), { a: 1 });
    const { session } = await openSession(contextFor(store), cookie);
    session.set("b", 2);
    const other = openSqlite(`file:${test.file}`);
    other.exec("BEGIN IMMEDIATE");
    let timerRan = false;
    setTimeout(() => (timerRan = true), 20);
    const saving = session.save();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(timerRan).toBe(true);
    other.exec("COMMIT");
    other.close();
    await saving;
    const reopened = await openSession(contextFor(store), cookie);
    expect(reopened.session.toJSON()).toEqual({ a: 1, b: 2 });
  });

  it("deleting a user deletes their sessions", async () => {
    const store = new DbSessionStore(test.sqlite, () => undefined);
    await test.db.user.create({ data: { id: "u1", email: "u1@example.test", passwordHash: "x" } });
    const s = Session.create(contextFor(store));
    await s.login("u1");
    await s.save();
    expect(await store.exists(s.tokenHash as string)).toBe(true);
    await test.db.user.delete({ where: { id: "u1" } });
    expect(await store.exists(s.tokenHash as string)).toBe(false);
  });

  it("data that is valid JSON but not an object also loads as empty and is logged", async () => {
    const logged: string[] = [];
    const store = new DbSessionStore(test.sqlite, (message) => logged.push(message));
    const cookie = await storedCookie(contextFor(store), { a: 1 });
    for (const garbage of ["[1,2]", "null", '"text"', "42", ""]) {
      await test.db.$executeRawUnsafe(`UPDATE "Session" SET data = ?`, garbage);
      const { session, rejected } = await openSession(contextFor(store), cookie);
      expect(rejected).toBeNull();
      expect(session.toJSON()).toEqual({});
    }
    expect(logged).toHaveLength(5);
  });

  describe("clearExpired in batches", () => {
    const DAY_MS = 24 * 60 * 60 * 1000;
    const offset = (ms: number) => new Date(now.getTime() + ms);

    /** Inserts bare session rows straight into SQLite, in one transaction: thousands in milliseconds. */
    function insertRows(rows: { id: string; expiresAt: Date }[]): void {
      const raw = new Database(test.file);
      try {
        const insert = raw.prepare(
          `INSERT INTO "Session" ("id", "tokenHash", "createdAt", "lastSeenAt", "expiresAt", "absoluteExpiresAt")
           VALUES (?, ?, ?, ?, ?, ?)`,
        );
        const start = sqliteDate(offset(-DAY_MS));
        raw.transaction(() => {
          for (const { id, expiresAt } of rows)
            insert.run(id, `hash-${id}`, start, start, sqliteDate(expiresAt), sqliteDate(expiresAt));
        })();
      } finally {
        raw.close();
      }
    }

    it("writes dates in exactly Prisma's text form, so SQL comparisons between them are honest", async () => {
      const store = new DbSessionStore(test.sqlite, () => undefined);
      await storedCookie(contextFor(store), { n: 1 });
      const [mine] = test.sqlite.prepare(`SELECT "id", "expiresAt" FROM "Session"`).all() as {
        id: string;
        expiresAt: string;
      }[];
      const expiresAt = offset(CONTRACT_POLICY.idleSeconds * 1000);
      await test.db.session.create({
        data: { id: "by-prisma", tokenHash: "f".repeat(64), lastSeenAt: now, expiresAt, absoluteExpiresAt: expiresAt },
      });
      const prisma = test.sqlite.prepare(`SELECT "expiresAt" FROM "Session" WHERE "id" = 'by-prisma'`).pluck().get();
      expect(mine?.expiresAt).toBe(prisma);
      expect(prisma).toBe(sqliteDate(expiresAt));
    });

    // The first batch is 500 rows; later ones are sized by how long a batch took.
    it.each([1, 499, 500, 501, 12_007])("removes exactly %i expired rows and keeps the live ones", async (expired) => {
      const ctx = contextFor(new DbSessionStore(test.sqlite, () => undefined));
      const liveCookies = [await storedCookie(ctx, { n: 1 }), await storedCookie(ctx, { n: 2 })];
      // Expired: the first exactly at `now`, then one second earlier each. Live: 1 ms and a day after `now`.
      insertRows(Array.from({ length: expired }, (_, i) => ({ id: `expired-${i}`, expiresAt: offset(-i * 1000) })));
      insertRows([
        { id: "live-soon", expiresAt: offset(1) },
        { id: "live-later", expiresAt: offset(DAY_MS) },
      ]);
      expect(await test.db.session.count()).toBe(expired + 4);

      const store = new DbSessionStore(test.sqlite, () => undefined);
      expect(await store.clearExpired(now)).toBe(expired);
      expect(await test.db.session.count()).toBe(4);
      expect(await test.db.session.count({ where: { id: { in: ["live-soon", "live-later"] } } })).toBe(2);
      for (const cookie of liveCookies) expect((await openSession(ctx, cookie)).rejected).toBeNull();
      expect(await store.clearExpired(now)).toBe(0);
    });
  });
});

// Two app servers on one SQLite file, each with its own connection and in-process cache, as `db` runs them.
describeTwoServers(
  "two servers on one SQLite file, each with its own session cache",
  async () => {
    const test = await createTestDatabase();
    const second = openSqlite(`file:${test.file}`);
    const cacheOf = () => new LruSessionCache({ maxEntries: 100, maxBytes: 1024 * 1024 });
    return {
      test,
      a: new CachedSessionStore(new DbSessionStore(test.sqlite, () => undefined), cacheOf()),
      b: new CachedSessionStore(new DbSessionStore(second, () => undefined), cacheOf()),
      createUser: async (id) => {
        await test.db.user.create({ data: { id, email: `${id}@example.test`, passwordHash: "not-a-real-hash" } });
      },
      async cleanup() {
        second.close();
        await test.cleanup();
      },
    };
  },
  (get) => {
    it("a hit costs a version check; a row that did not change is served from the cache", async () => {
      const { a, test, loggedInThroughA } = get();
      await loggedInThroughA();
      const hash = (await test.db.session.findFirstOrThrow({ where: { userId: "u1" } })).tokenHash;
      await test.db.$executeRawUnsafe(
        `UPDATE "Session" SET data = '{"behind":"the cache"}' WHERE "tokenHash" = ?`,
        hash,
      );
      expect((await a.load(hash))?.data).toEqual({}); // same version: the cached copy
      await test.db.$executeRawUnsafe(`UPDATE "Session" SET "version" = "version" + 1 WHERE "tokenHash" = ?`, hash);
      expect((await a.load(hash))?.data).toEqual({ behind: "the cache" }); // a new version: read again
    });
  },
);
