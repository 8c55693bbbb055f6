import { describe, expect, it } from "vitest";
import { describeDuration, formatCountdown, formatDuration, oncePer, parseCountdown } from "@/lib/format";

describe("durations", () => {
  it("formatDuration names the largest whole unit", () => {
    expect([1, 90, 1800, 43_200, 2_592_000, 0].map(formatDuration)).toEqual([
      "1 second",
      "90 seconds",
      "30 minutes",
      "12 hours",
      "30 days",
      "0 seconds",
    ]);
  });

  it("describeDuration gives the two largest units in words", () => {
    expect([2_591_999, 1800, 45, 3601, 0].map(describeDuration)).toEqual([
      "29 days 23 hours",
      "30 minutes",
      "45 seconds",
      "1 hour",
      "0 seconds",
    ]);
  });

  it("formatCountdown ticks with padded smaller units, and parseCountdown reads it back", () => {
    const seconds = [41, 1781, 43_181, 2_591_981];
    expect(seconds.map(formatCountdown)).toEqual(["41s", "29m 41s", "11h 59m 41s", "29d 23h 59m 41s"]);
    expect(seconds.map((s) => parseCountdown(formatCountdown(s)))).toEqual(seconds);
    expect(formatCountdown(-3)).toBe("0s");
  });

  it("oncePer says how often in words", () => {
    expect([60, 3600, 300].map(oncePer)).toEqual(["once a minute", "once an hour", "once every 5 minutes"]);
  });
});
