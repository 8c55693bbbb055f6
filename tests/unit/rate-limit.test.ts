import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthRateLimiter, type RateLimitPolicy } from "@/lib/auth/rate-limit";
import { createTestDatabase, type TestDatabase } from "./support/db";

const policy: RateLimitPolicy = {
  loginFailuresPerAccount: { points: 10, seconds: 900 },
  loginFailuresPerIp: { points: 100, seconds: 900 },
  registrationsPerIp: { points: 3, seconds: 3600 },
};

describe("AuthRateLimiter", () => {
  let testDb: TestDatabase;
  let sqlite: Database.Database;

  beforeEach(async () => {
    testDb = await createTestDatabase();
    sqlite = new Database(testDb.file);
  });

  afterEach(async () => {
    if (sqlite.open) sqlite.close();
    await testDb.cleanup();
  });

  it("refuses the 11th login attempt after 10 failures, with a retry time within the window", async () => {
    const limiter = new AuthRateLimiter(sqlite, policy);
    for (let i = 0; i < 10; i++) {
      expect(await limiter.checkLogin("alice@example.test", `10.0.0.${i}`)).toEqual({ ok: true });
      await limiter.recordLoginFailure("alice@example.test", `10.0.0.${i}`);
    }
    const decision = await limiter.checkLogin("alice@example.test", "10.0.0.99");
    expect(decision.ok).toBe(false);
    if (!decision.ok) {
      expect(decision.retryAfterSeconds).toBeGreaterThan(0);
      expect(decision.retryAfterSeconds).toBeLessThanOrEqual(900);
    }
  });

  it("keeps counting across a restart: the counters live in SQLite", async () => {
    const before = new AuthRateLimiter(sqlite, policy);
    for (let i = 0; i < 10; i++) await before.recordLoginFailure("bob@example.test", "10.0.1.1");
    sqlite.close();

    const reopened = new Database(testDb.file);
    try {
      const after = new AuthRateLimiter(reopened, policy);
      expect((await after.checkLogin("bob@example.test", "10.0.1.2")).ok).toBe(false);
      expect((await after.checkLogin("carol@example.test", "10.0.1.2")).ok).toBe(true);
    } finally {
      reopened.close();
    }
  });

  it("never blocks one account for another account's failures", async () => {
    const limiter = new AuthRateLimiter(sqlite, policy);
    for (let i = 0; i < 12; i++) await limiter.recordLoginFailure("victim@example.test", `10.0.2.${i}`);
    expect(await limiter.checkLogin("someone-else@example.test", "10.0.3.1")).toEqual({ ok: true });
  });

  it("clears an account's failures after a correct password", async () => {
    const limiter = new AuthRateLimiter(sqlite, policy);
    for (let i = 0; i < 9; i++) await limiter.recordLoginFailure("dave@example.test", "10.0.4.1");
    await limiter.recordLoginSuccess("dave@example.test");
    for (let i = 0; i < 9; i++) await limiter.recordLoginFailure("dave@example.test", "10.0.4.1");
    expect((await limiter.checkLogin("dave@example.test", "10.0.4.1")).ok).toBe(true);
  });

  it("limits failures per address across accounts", async () => {
    const limiter = new AuthRateLimiter(sqlite, { ...policy, loginFailuresPerIp: { points: 5, seconds: 900 } });
    for (let i = 0; i < 5; i++) await limiter.recordLoginFailure(`user${i}@example.test`, "10.0.5.5");
    expect((await limiter.checkLogin("fresh@example.test", "10.0.5.5")).ok).toBe(false);
    expect((await limiter.checkLogin("fresh@example.test", "10.0.5.6")).ok).toBe(true);
  });

  it("allows the registration budget per address and refuses the next", async () => {
    const limiter = new AuthRateLimiter(sqlite, policy);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consumeRegistration("10.0.6.6"));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, false]);
    expect((await limiter.consumeRegistration("10.0.6.7")).ok).toBe(true);
  });
});
