import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addressKey, AuthRateLimiter, type LoginDecision, type RateLimitPolicy } from "@/lib/auth/rate-limit";
import { openPostgresPool, type PostgresPool, type Sqlite } from "@/lib/db/client";
import { createTestDatabase } from "./support/db";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "./support/postgres";

const policy: RateLimitPolicy = {
  loginFailuresPerAccountAndIp: { points: 10, seconds: 900 },
  loginFailuresPerAccount: { points: 30, seconds: 3600 },
  loginFailuresPerIp: { points: 100, seconds: 900 },
  registrationsPerIp: { points: 3, seconds: 3600 },
  newSessionsPerIp: { points: 5, seconds: 3600 },
};

/** One wrong password: take the point, then keep it spent. */
async function failLogin(limiter: AuthRateLimiter, account: string, ip: string): Promise<LoginDecision> {
  const decision = await limiter.beginLogin(account, ip);
  if (decision.ok) await decision.attempt.failed();
  return decision;
}

/** Where the counters live: a fresh database, and a way to open another connection to it. */
interface LimitsDatabase {
  /** Another connection, as another process or server (or this one after a restart) opens it. */
  connect(): Sqlite | PostgresPool;
  cleanup(): Promise<void>;
}

async function onSqlite(): Promise<LimitsDatabase> {
  const test = await createTestDatabase();
  const opened: Sqlite[] = [];
  return {
    connect: () => opened[opened.push(new Database(test.file)) - 1] as Sqlite,
    async cleanup() {
      for (const db of opened) if (db.open) db.close();
      await test.cleanup();
    },
  };
}

let postgres: Promise<PostgresTestDatabase> | undefined;
async function onPostgres(): Promise<LimitsDatabase> {
  postgres ??= createPostgresTestDatabase();
  const test = await postgres;
  await test.truncate();
  const opened: PostgresPool[] = [];
  return {
    connect: () => opened[opened.push(openPostgresPool(test.url, { max: 4 })) - 1] as PostgresPool,
    async cleanup() {
      await Promise.all(opened.map((pool) => pool.end()));
    },
  };
}

describe.each([
  ["SQLite", onSqlite],
  ["PostgreSQL", onPostgres],
])("AuthRateLimiter on %s", (_name, open) => {
  let database: LimitsDatabase;
  let connection: Sqlite | PostgresPool;

  beforeEach(async () => {
    database = await open();
    connection = database.connect();
  });

  afterEach(async () => {
    await database.cleanup();
  });

  it("lets at most the budget of 40 parallel guesses through: the point is taken before the check", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    const decisions = await Promise.all(
      Array.from({ length: 40 }, () => limiter.beginLogin("alice@example.test", "10.0.0.1")),
    );
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
    const refused = decisions.filter((d) => !d.ok);
    expect(refused).toHaveLength(30);
    for (const decision of refused) {
      expect(decision.retryAfterSeconds).toBeGreaterThan(0);
      expect(decision.retryAfterSeconds).toBeLessThanOrEqual(3600);
    }
    // Only the ten that went ahead count: the next address still finds the account's own budget open.
    const next = await limiter.beginLogin("alice@example.test", "10.0.0.2");
    expect(next.ok).toBe(true);
  });

  it("keeps the owner's way in from another address after 12 failures from one", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    const fromAttacker = [];
    for (let i = 0; i < 12; i++) fromAttacker.push((await failLogin(limiter, "victim@example.test", "203.0.113.9")).ok);
    expect(fromAttacker).toEqual([...Array(10).fill(true), false, false]);
    const owner = await limiter.beginLogin("victim@example.test", "198.51.100.20");
    expect(owner.ok).toBe(true);
  });

  it("still bounds one account's guesses across many addresses, with the softer per-account budget", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    for (let i = 0; i < 30; i++) expect((await failLogin(limiter, "target@example.test", `10.1.${i}.1`)).ok).toBe(true);
    expect((await limiter.beginLogin("target@example.test", "10.1.99.1")).ok).toBe(false);
    // Another account is untouched.
    expect((await limiter.beginLogin("someone-else@example.test", "10.1.99.1")).ok).toBe(true);
  });

  it("gives the point back on success and forgets this address's failures for the account", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    for (let i = 0; i < 9; i++) await failLogin(limiter, "dave@example.test", "10.0.4.1");
    const right = await limiter.beginLogin("dave@example.test", "10.0.4.1");
    if (!right.ok) throw new Error("the 10th attempt should be allowed");
    await right.attempt.succeeded();
    for (let i = 0; i < 10; i++) expect((await failLogin(limiter, "dave@example.test", "10.0.4.1")).ok).toBe(true);
    expect((await limiter.beginLogin("dave@example.test", "10.0.4.1")).ok).toBe(false);
  });

  it("gives the point back when the password was never checked", async () => {
    const limiter = new AuthRateLimiter(connection, {
      ...policy,
      loginFailuresPerAccountAndIp: { points: 2, seconds: 900 },
    });
    for (let i = 0; i < 5; i++) {
      const decision = await limiter.beginLogin("erin@example.test", "10.0.7.1");
      if (!decision.ok) throw new Error(`attempt ${i} should be allowed: the earlier ones were abandoned`);
      await decision.attempt.abandoned();
    }
  });

  it("gives back the points a refused attempt took from the other budgets", async () => {
    const limiter = new AuthRateLimiter(connection, { ...policy, loginFailuresPerIp: { points: 12, seconds: 900 } });
    for (let i = 0; i < 10; i++) await failLogin(limiter, "frank@example.test", "10.0.8.1");
    // Refused by the account-and-address budget: the address's own budget must not be drained by it.
    for (let i = 0; i < 20; i++) expect((await limiter.beginLogin("frank@example.test", "10.0.8.1")).ok).toBe(false);
    expect((await failLogin(limiter, "grace@example.test", "10.0.8.1")).ok).toBe(true);
    expect((await failLogin(limiter, "heidi@example.test", "10.0.8.1")).ok).toBe(true);
  });

  it("keeps counting across a restart and across servers: the counters live in the database", async () => {
    const before = new AuthRateLimiter(connection, policy);
    for (let i = 0; i < 10; i++) await failLogin(before, "bob@example.test", "10.0.1.1");
    const after = new AuthRateLimiter(database.connect(), policy);
    expect((await after.beginLogin("bob@example.test", "10.0.1.1")).ok).toBe(false);
    expect((await after.beginLogin("carol@example.test", "10.0.1.1")).ok).toBe(true);
  });

  it("counts parallel guesses through two servers against one budget", async () => {
    const servers = [new AuthRateLimiter(connection, policy), new AuthRateLimiter(database.connect(), policy)];
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        failLogin(servers[i % 2] as AuthRateLimiter, "dave@example.test", "10.0.2.2"),
      ),
    );
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
  });

  it("limits failures per address across accounts", async () => {
    const limiter = new AuthRateLimiter(connection, { ...policy, loginFailuresPerIp: { points: 5, seconds: 900 } });
    for (let i = 0; i < 5; i++) await failLogin(limiter, `user${i}@example.test`, "10.0.5.5");
    expect((await limiter.beginLogin("fresh@example.test", "10.0.5.5")).ok).toBe(false);
    expect((await limiter.beginLogin("fresh@example.test", "10.0.5.6")).ok).toBe(true);
  });

  it("counts an IPv6 client by its /64, so rotating through one block does not reset the count", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    for (let i = 0; i < 10; i++) await failLogin(limiter, "ivan@example.test", `2001:db8:1:2::${(i + 1).toString(16)}`);
    expect((await limiter.beginLogin("ivan@example.test", "2001:db8:1:2:ffff:ffff:ffff:ffff")).ok).toBe(false);
    expect((await limiter.beginLogin("ivan@example.test", "2001:db8:1:3::1")).ok).toBe(true);
  });

  it("allows the registration budget per address and refuses the next", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consumeRegistration("10.0.6.6"));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, false]);
    expect((await limiter.consumeRegistration("10.0.6.7")).ok).toBe(true);
  });

  it("allows the new-session budget per address and refuses the next with a retry time", async () => {
    const limiter = new AuthRateLimiter(connection, policy);
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await limiter.consumeNewSession("10.0.9.9"));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    const last = decisions.at(-1);
    expect(last && !last.ok && last.retryAfterSeconds).toBeGreaterThan(3500);
    expect((await limiter.consumeNewSession("10.0.9.10")).ok).toBe(true);
  });
});

describe("addressKey", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:abcd:ef01:2345:6789", "2001:db8:1:2::/64"],
    ["::1", "::/64"],
  ])("counts %s as %s", (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it("keeps unknown and unparsable addresses apart from real ones", () => {
    expect(addressKey(null)).toBe("unknown");
    expect(addressKey("not an address")).toBe("other:not an address");
  });
});
