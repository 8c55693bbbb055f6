import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemorySessionStore } from "@/lib/session/backends/memory";
import { HOUSEKEEPING_INTERVAL_MS, scheduleClearExpired } from "@/lib/session/clear-expired";
import type { SessionStore } from "@/lib/session/store";

const MINUTE_MS = 60_000;
const START = new Date("2030-01-01T00:00:00.000Z");

/** A store whose clearExpired answers from a script of results; the rest is a real memory store. */
function scriptedStore(results: (() => Promise<number>)[]) {
  const store = new MemorySessionStore();
  const calls: Date[] = [];
  store.clearExpired = async (now: Date) => {
    calls.push(now);
    const next = results.shift();
    return next ? next() : 0;
  };
  return { store: store as SessionStore, calls };
}

describe("scheduleClearExpired", () => {
  let logged: string[];
  const log = (message: string) => logged.push(message);
  let stop: (() => void) | undefined;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
    logged = [];
    stop = undefined;
  });

  afterEach(() => {
    stop?.();
    vi.useRealTimers();
  });

  it("runs a minute after start, then every interval, with the current time", async () => {
    const { store, calls } = scriptedStore([]);
    stop = scheduleClearExpired(async () => store, log);

    await vi.advanceTimersByTimeAsync(MINUTE_MS - 1);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([new Date(START.getTime() + MINUTE_MS)]);

    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS - MINUTE_MS);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(new Date(START.getTime() + HOUSEKEEPING_INTERVAL_MS));
    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
    expect(calls).toHaveLength(3);
  });

  it("honours a custom interval", async () => {
    const { store, calls } = scriptedStore([]);
    stop = scheduleClearExpired(async () => store, log, 10 * MINUTE_MS);
    await vi.advanceTimersByTimeAsync(MINUTE_MS);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(9 * MINUTE_MS);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10 * MINUTE_MS);
    expect(calls).toHaveLength(3);
  });

  it("logs how many sessions it cleared, and nothing when there were none", async () => {
    const { store } = scriptedStore([async () => 3, async () => 0, async () => 1]);
    stop = scheduleClearExpired(async () => store, log);
    await vi.advanceTimersByTimeAsync(MINUTE_MS);
    expect(logged).toEqual(["[sesame] cleared 3 expired sessions"]);
    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS - MINUTE_MS);
    expect(logged).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
    expect(logged).toEqual(["[sesame] cleared 3 expired sessions", "[sesame] cleared 1 expired session"]);
  });

  it("never starts a run while the previous one is still going", async () => {
    let finish: (count: number) => void = () => undefined;
    const slow = () => new Promise<number>((resolve) => (finish = resolve));
    const { store, calls } = scriptedStore([slow, async () => 0]);
    stop = scheduleClearExpired(async () => store, log, 10 * MINUTE_MS);

    await vi.advanceTimersByTimeAsync(MINUTE_MS); // the first run starts and hangs
    await vi.advanceTimersByTimeAsync(30 * MINUTE_MS); // three interval ticks pass meanwhile
    expect(calls).toHaveLength(1);

    finish(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(logged).toEqual(["[sesame] cleared 2 expired sessions"]);
    await vi.advanceTimersByTimeAsync(10 * MINUTE_MS);
    expect(calls).toHaveLength(2);
  });

  it("logs a failing store and keeps to its schedule", async () => {
    const { store, calls } = scriptedStore([
      async () => {
        throw new Error("database is locked");
      },
      async () => 4,
    ]);
    stop = scheduleClearExpired(async () => store, log);
    await vi.advanceTimersByTimeAsync(MINUTE_MS);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/failed/);
    expect(logged[0]).toContain("database is locked");

    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
    expect(calls).toHaveLength(2);
    expect(logged[1]).toBe("[sesame] cleared 4 expired sessions");
  });

  it("logs a store that cannot even be opened, and tries again later", async () => {
    let attempts = 0;
    const { store, calls } = scriptedStore([]);
    stop = scheduleClearExpired(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("no database yet");
      return store;
    }, log);
    await vi.advanceTimersByTimeAsync(MINUTE_MS);
    expect(logged).toEqual([expect.stringContaining("no database yet")]);
    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
    expect(calls).toHaveLength(1);
  });

  it("stops for good when the returned function is called", async () => {
    const { store, calls } = scriptedStore([]);
    const stopEarly = scheduleClearExpired(async () => store, log);
    stopEarly(); // before the first run
    await vi.advanceTimersByTimeAsync(3 * HOUSEKEEPING_INTERVAL_MS);
    expect(calls).toHaveLength(0);

    stop = scheduleClearExpired(async () => store, log);
    await vi.advanceTimersByTimeAsync(MINUTE_MS);
    expect(calls).toHaveLength(1);
    stop();
    await vi.advanceTimersByTimeAsync(3 * HOUSEKEEPING_INTERVAL_MS);
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
