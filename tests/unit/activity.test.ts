import { describe, expect, it } from "vitest";
import { foldRepeats } from "@/components/activity-timeline";
import type { SessionEvent } from "@/lib/session/activity";

const at = (second: number): string => new Date(Date.UTC(2030, 0, 1, 0, 0, second)).toISOString();

describe("foldRepeats", () => {
  it("lists events newest first and folds back-to-back repeats of one step on one key", () => {
    const events: SessionEvent[] = [
      { at: at(0), type: "created" },
      { at: at(1), type: "key_set", detail: "cart" },
      { at: at(2), type: "key_set", detail: "cart" },
      { at: at(3), type: "key_set", detail: "cart" },
      { at: at(4), type: "key_set", detail: "theme" },
      { at: at(5), type: "key_set", detail: "cart" },
    ];
    expect(foldRepeats(events).map(({ event, since, times }) => [event.type, event.detail, times, since, event.at])).toEqual([
      ["key_set", "cart", 1, at(5), at(5)],
      ["key_set", "theme", 1, at(4), at(4)],
      ["key_set", "cart", 3, at(1), at(3)],
      ["created", undefined, 1, at(0), at(0)],
    ]);
  });

  it("returns nothing for no events", () => {
    expect(foldRepeats([])).toEqual([]);
  });
});
