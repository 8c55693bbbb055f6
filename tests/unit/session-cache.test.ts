import { describe, expect, it } from "vitest";
import { estimateRecordBytes, LruSessionCache } from "@/lib/session/backends/read-through-cache";
import { CachedSessionStore } from "@/lib/session/backends/cached-db";
import { MemorySessionStore } from "@/lib/session/backends/memory";
import { Session, type SessionContext } from "@/lib/session/session";
import type { SessionRecord } from "@/lib/session/record";
import type { SessionStore } from "@/lib/session/store";
import { hashToken } from "@/lib/session/token";
import { CONTRACT_POLICY, TEST_SEALER } from "./support/store-contract";

const MiB = 1024 * 1024;
const context = (store: SessionStore): SessionContext => ({
  store,
  sealer: TEST_SEALER,
  policy: CONTRACT_POLICY,
  now: () => new Date(),
  userAgent: "vitest",
  ip: null,
});

/** A stored-looking record of session `n`, holding `bytes` characters of data. */
function record(n: number, bytes: number): SessionRecord {
  const now = new Date();
  return {
    id: `id-${n}`,
    tokenHash: hashToken(`token-${n}`),
    userId: null,
    data: { blob: "x".repeat(bytes) },
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    absoluteExpiresAt: new Date(now.getTime() + 60_000),
    persistent: false,
    expiryAge: null,
    expiryDate: null,
    passwordConfirmedAt: null,
    userAgent: "vitest",
    ip: null,
    events: [{ at: now.toISOString(), type: "created" }],
  };
}

describe("the in-process session cache, bounded in bytes", () => {
  it("estimates a record by its serialized data and events plus a fixed overhead", () => {
    const small = estimateRecordBytes(record(1, 10));
    const large = estimateRecordBytes(record(1, 60_000));
    expect(large - small).toBe(60_000 - 10);
    expect(small).toBeGreaterThan(JSON.stringify({ blob: "x".repeat(10) }).length);
  });

  it("filled with 60 KB sessions, stays under its bound and evicts the least recently used first", async () => {
    const cache = new LruSessionCache({ maxEntries: 10_000, maxBytes: MiB });
    const size = estimateRecordBytes(record(0, 60_000));
    const fits = Math.floor(MiB / size);
    expect(fits).toBeGreaterThan(10); // the count bound (10,000) is not what limits it here

    await cache.set(record(0, 60_000));
    for (let n = 1; n <= 40; n++) {
      await cache.set(record(n, 60_000));
      expect(await cache.get(record(0, 0).tokenHash)).toBeDefined(); // read on every request: never the one evicted
      expect(cache.bytes).toBeLessThanOrEqual(MiB);
    }
    expect(cache.bytes).toBe(fits * size);

    const cached = [];
    for (let n = 0; n <= 40; n++) if (await cache.get(record(n, 0).tokenHash)) cached.push(n);
    // Session 0, kept fresh by its reads, and the newest ones; the oldest unread ones went first.
    const newest = Array.from({ length: fits - 1 }, (_, i) => 40 - (fits - 2) + i);
    expect(cached).toEqual([0, ...newest]);
  });

  it("still holds at most maxEntries small sessions", async () => {
    const cache = new LruSessionCache({ maxEntries: 3, maxBytes: MiB });
    for (let n = 0; n < 10; n++) await cache.set(record(n, 10));
    const cached = [];
    for (let n = 0; n < 10; n++) if (await cache.get(record(n, 0).tokenHash)) cached.push(n);
    expect(cached).toEqual([7, 8, 9]);
  });

  it("does not cache a session bigger than the bound, drops its older copy, and serves it from the store", async () => {
    const cache = new LruSessionCache({ maxEntries: 100, maxBytes: 32 * 1024 });
    const store = new CachedSessionStore(new MemorySessionStore(), cache);
    const session = Session.create(context(store));
    session.set("small", 1);
    await session.save();
    const hash = session.tokenHash as string;
    expect((await cache.get(hash))?.record.data).toEqual({ small: 1 });

    session.set("big", "y".repeat(40 * 1024));
    await session.save();
    expect(await cache.get(hash)).toBeUndefined(); // not the stale small copy either
    expect(cache.bytes).toBe(0);
    const loaded = await store.load(hash);
    expect(loaded?.data).toEqual({ small: 1, big: "y".repeat(40 * 1024) });
    expect(await cache.get(hash)).toBeUndefined(); // a read does not cache it either
  });
});
