import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, authenticate } from "@/lib/auth/users";
import { createTestDatabase, type TestDatabase } from "./support/db";

// A security property, not a performance goal: an unknown email must cost what a wrong password
// costs, or response times reveal which emails have accounts (ASVS 6.3.8). The two kinds of
// attempt are interleaved so machine noise falls on both alike.
const COST = 10;
const RUNS = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

describe("login timing", () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await registerUser(testDb.db, { email: "known@example.test", password: "a long known passphrase" }, COST);
  });

  afterAll(async () => {
    await testDb.cleanup();
  });

  it("an unknown email takes as long as a wrong password (median of 50 within 10%)", { timeout: 120_000 }, async () => {
    const wrong: number[] = [];
    const unknown: number[] = [];
    // Warm both paths first: the dummy hash is made on first use.
    await authenticate(testDb.db, { email: "nobody@example.test", password: "x" }, COST);
    await authenticate(testDb.db, { email: "known@example.test", password: "x" }, COST);
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      expect((await authenticate(testDb.db, { email: "known@example.test", password: `wrong ${i}` }, COST)).ok).toBe(
        false,
      );
      wrong.push(performance.now() - started);
      started = performance.now();
      expect(
        (await authenticate(testDb.db, { email: `nobody-${i}@example.test`, password: `wrong ${i}` }, COST)).ok,
      ).toBe(false);
      unknown.push(performance.now() - started);
    }
    // Each pair ran back to back, so their ratio cancels the load the machine had at that moment.
    const pairRatio = median(unknown.map((u, i) => u / (wrong[i] as number)));
    expect(pairRatio).toBeGreaterThan(0.9);
    expect(pairRatio).toBeLessThan(1.1);
    expect(median(unknown) / median(wrong)).toBeGreaterThan(0.8);
    expect(median(unknown) / median(wrong)).toBeLessThan(1.25);
  });

  it(
    "a password over bcrypt's 72 bytes takes as long as a wrong password (median of 50 within 10%)",
    { timeout: 120_000 },
    async () => {
      const wrong: number[] = [];
      const long: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let started = performance.now();
        expect((await authenticate(testDb.db, { email: "known@example.test", password: `wrong ${i}` }, COST)).ok).toBe(
          false,
        );
        wrong.push(performance.now() - started);
        started = performance.now();
        const overLong = `a long known passphrase${"!".repeat(60)}${i}`;
        expect((await authenticate(testDb.db, { email: "known@example.test", password: overLong }, COST)).ok).toBe(
          false,
        );
        long.push(performance.now() - started);
      }
      const pairRatio = median(long.map((l, i) => l / (wrong[i] as number)));
      expect(pairRatio).toBeGreaterThan(0.9);
      expect(pairRatio).toBeLessThan(1.1);
    },
  );
});
