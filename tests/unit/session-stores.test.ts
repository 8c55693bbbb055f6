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

/**
 * Two app servers on one SQLite file, each with its own in-process cache, as `db` runs them: what
 * one server writes or ends, the other sees on its very next read.
 */
describe("two servers on one SQLite file, each with its own session cache", () => {
  let test: TestDatabase;
  let servers: { a: CachedSessionStore; b: CachedSessionStore };
  let closeB: () => void;
  const sealer = createTokenSealer(["two-servers-secret-0123456789abcdefghijkl"]);
  const contextFor = (store: CachedSessionStore): SessionContext => ({
    store,
    sealer,
    policy: CONTRACT_POLICY,
    now: () => new Date(),
    userAgent: null,
    ip: null,
  });
  const cacheOf = () => new LruSessionCache({ maxEntries: 100, maxBytes: 1024 * 1024 });

  beforeEach(async () => {
    test = await createTestDatabase();
    const second = openSqlite(`file:${test.file}`);
    closeB = () => second.close();
    servers = {
      a: new CachedSessionStore(new DbSessionStore(test.sqlite, () => undefined), cacheOf()),
      b: new CachedSessionStore(new DbSessionStore(second, () => undefined), cacheOf()),
    };
    await test.db.user.create({ data: { id: "u1", email: "u1@example.test", passwordHash: "not-a-real-hash" } });
  });

  afterEach(async () => {
    closeB();
    await test.cleanup();
  });

  /** A logged-in session saved through A, read once through A (so A caches it), and its cookie. */
  async function loggedInThroughA(): Promise<string> {
    const session = Session.create(contextFor(servers.a));
    await session.login("u1");
    const instruction = await session.save();
    if (instruction.kind !== "set") throw new Error("expected a cookie");
    const cookie = await session.sealCookie(instruction.token);
    expect((await openSession(contextFor(servers.a), cookie)).session.userId).toBe("u1");
    return cookie;
  }

  it("a logout through B is refused by A on its next request", async () => {
    const cookie = await loggedInThroughA();
    const { session } = await openSession(contextFor(servers.b), cookie);
    await session.flush();
    const replay = await openSession(contextFor(servers.a), cookie);
    expect(replay.rejected).toBe("unknown");
    expect(replay.session.userId).toBeNull();
  });

  it("a revocation, a password change or a deleted account through B ends the session on A", async () => {
    for (const reason of ["revoked", "password_changed", "account_deleted"] as const) {
      const cookie = await loggedInThroughA();
      expect(await servers.b.deleteForUser("u1", { reason })).toBe(1);
      expect((await openSession(contextFor(servers.a), cookie)).rejected).toBe(reason);
    }
  });

  it("parallel writes of different keys through A and B all survive, and A reads every one", async () => {
    const cookie = await loggedInThroughA();
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const { session } = await openSession(contextFor(i % 2 === 0 ? servers.a : servers.b), cookie);
        session.set(`key${i}`, i);
        await session.save();
      }),
    );
    const { session } = await openSession(contextFor(servers.a), cookie);
    expect(session.keys().filter((key) => key.startsWith("key"))).toHaveLength(50);
  });

  it("a hit costs a version check; a row that did not change is served from the cache", async () => {
    const cookie = await loggedInThroughA();
    const { session } = await openSession(contextFor(servers.a), cookie);
    const hash = session.tokenHash as string;
    await test.db.$executeRawUnsafe(`UPDATE "Session" SET data = '{"behind":"the cache"}' WHERE "tokenHash" = ?`, hash);
    expect((await servers.a.load(hash))?.data).toEqual({}); // same version: the cached copy
    await test.db.$executeRawUnsafe(`UPDATE "Session" SET "version" = "version" + 1 WHERE "tokenHash" = ?`, hash);
    expect((await servers.a.load(hash))?.data).toEqual({ behind: "the cache" }); // a new version: read again
  });
});
