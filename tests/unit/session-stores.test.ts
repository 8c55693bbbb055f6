import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DbSessionStore } from "@/lib/session/backends/db";
import { MemorySessionStore } from "@/lib/session/backends/memory";
import { createTokenSealer } from "@/lib/session/cookie";
import { openSession } from "@/lib/session/manager";
import { Session, type SessionContext } from "@/lib/session/session";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { CONTRACT_POLICY, describeSessionStore } from "./support/store-contract";

describeSessionStore("MemorySessionStore", async () => ({ store: new MemorySessionStore() }));

describeSessionStore("DbSessionStore", async () => {
  const test = await createTestDatabase();
  const logged: string[] = [];
  return {
    store: new DbSessionStore(test.db, (message) => logged.push(message)),
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

/** What only the database store does: rows in SQLite, shared between processes. */
describe("DbSessionStore specifics", () => {
  let test: TestDatabase;
  const sealer = createTokenSealer(["db-specifics-secret-0123456789abcdefghij"]);
  const now = new Date("2030-01-01T00:00:00.000Z");

  const contextFor = (store: DbSessionStore): SessionContext => ({
    store,
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
    const store = new DbSessionStore(test.db, () => undefined);
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

  it("saves from two processes (two store instances) on one row merge instead of overwriting", async () => {
    const first = new DbSessionStore(test.db, () => undefined);
    const second = new DbSessionStore(test.db, () => undefined);
    const cookie = await storedCookie(contextFor(first), { base: 0 });
    const opened = await Promise.all(
      Array.from({ length: 10 }, (_, i) => openSession(contextFor(i % 2 === 0 ? first : second), sealer, cookie)),
    );
    opened.forEach(({ session }, i) => session.set(`key${i}`, i));
    await Promise.all(opened.map(({ session }) => session.save()));

    const { session } = await openSession(contextFor(first), sealer, cookie);
    expect(session.keys().sort()).toEqual(["base", ...Array.from({ length: 10 }, (_, i) => `key${i}`)].sort());
  });

  it("deleting a user deletes their sessions", async () => {
    const store = new DbSessionStore(test.db, () => undefined);
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
    const store = new DbSessionStore(test.db, (message) => logged.push(message));
    const cookie = await storedCookie(contextFor(store), { a: 1 });
    for (const garbage of ["[1,2]", "null", '"text"', "42", ""]) {
      await test.db.$executeRawUnsafe(`UPDATE "Session" SET data = ?`, garbage);
      const { session, rejected } = await openSession(contextFor(store), sealer, cookie);
      expect(rejected).toBeNull();
      expect(session.toJSON()).toEqual({});
    }
    expect(logged).toHaveLength(5);
  });
});
