import { describe, expect, it } from "vitest";
import { appendEvents, MAX_EVENTS, normalizeEvents, type SessionEvent } from "@/lib/session/activity";
import { decodeRecord } from "@/lib/session/backends/record-codec";

const at = (second: number): string => new Date(Date.UTC(2030, 0, 1, 0, 0, second)).toISOString();

describe("appendEvents", () => {
  it("folds back-to-back repeats of one step on one key into a counted line, and nothing else", () => {
    const added: SessionEvent[] = [
      { at: at(1), type: "key_set", detail: "cart" },
      { at: at(2), type: "key_set", detail: "cart" },
      { at: at(3), type: "key_set", detail: "cart" },
      { at: at(4), type: "key_set", detail: "theme" },
      { at: at(5), type: "key_set", detail: "cart" },
    ];
    expect(appendEvents([{ at: at(0), type: "created" }], added)).toEqual([
      { at: at(0), type: "created" },
      { at: at(3), type: "key_set", detail: "cart", count: 3, firstAt: at(1) },
      { at: at(4), type: "key_set", detail: "theme" },
      { at: at(5), type: "key_set", detail: "cart" },
    ]);
  });

  it("continues a stored run across saves", () => {
    const stored: SessionEvent[] = [{ at: at(2), type: "expiry_extended", count: 2, firstAt: at(1) }];
    expect(appendEvents(stored, [{ at: at(3), type: "expiry_extended" }])).toEqual([
      { at: at(3), type: "expiry_extended", count: 3, firstAt: at(1) },
    ]);
  });

  it(`keeps the newest ${MAX_EVENTS} lines, a run counting as one`, () => {
    const added: SessionEvent[] = Array.from({ length: MAX_EVENTS + 5 }, (_, i) => ({
      at: at(i),
      type: "key_set",
      detail: `k${i}`,
    }));
    const log = appendEvents(appendEvents([], added), [{ at: at(59), type: "key_set", detail: `k${MAX_EVENTS + 4}` }]);
    expect(log).toHaveLength(MAX_EVENTS);
    expect(log[0]?.detail).toBe("k5");
    expect(log.at(-1)).toMatchObject({ detail: `k${MAX_EVENTS + 4}`, count: 2 });
  });
});

describe("normalizeEvents", () => {
  it("reads a count that older rows wrote into the detail, leaving its unknown start out", () => {
    const stored: SessionEvent[] = [
      { at: at(0), type: "created" },
      { at: at(9), type: "expiry_extended", detail: "3 times" },
    ];
    expect(normalizeEvents(stored)).toEqual([
      { at: at(0), type: "created" },
      { at: at(9), type: "expiry_extended", count: 3 },
    ]);
    expect(appendEvents(normalizeEvents(stored), [{ at: at(10), type: "expiry_extended" }]).at(-1)).toEqual({
      at: at(10),
      type: "expiry_extended",
      count: 4,
    });
  });

  it("folds the unfolded repeats older rows kept", () => {
    const stored: SessionEvent[] = [
      { at: at(1), type: "key_set", detail: "cart" },
      { at: at(2), type: "key_set", detail: "cart" },
    ];
    expect(normalizeEvents(stored)).toEqual([{ at: at(2), type: "key_set", detail: "cart", count: 2, firstAt: at(1) }]);
  });

  it("leaves today's rows as they are", () => {
    const stored: SessionEvent[] = [
      { at: at(0), type: "created" },
      { at: at(2), type: "key_set", detail: "cart", count: 2, firstAt: at(1) },
    ];
    expect(normalizeEvents(stored)).toEqual(stored);
    expect(normalizeEvents([])).toEqual([]);
  });
});

describe("decoding a stored record", () => {
  it("brings an older row's events into today's shape", () => {
    const row = {
      id: "s1",
      tokenHash: "h1",
      data: "{}",
      createdAt: at(0),
      lastSeenAt: at(9),
      expiresAt: at(99),
      absoluteExpiresAt: at(99),
      events: [
        { at: at(0), type: "created" },
        { at: at(9), type: "expiry_extended", detail: "3 times" },
      ],
    };
    expect(decodeRecord(JSON.stringify(row), () => {}, "s1")?.events).toEqual([
      { at: at(0), type: "created" },
      { at: at(9), type: "expiry_extended", count: 3 },
    ]);
  });
});
