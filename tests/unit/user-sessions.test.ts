import { describe, expect, it } from "vitest";
import { describeDevice } from "@/lib/session/user-sessions";

/**
 * The store-backed parts of lib/session/management.ts (listing and revoking) run against every
 * store in support/store-contract.ts; this is the pure part.
 */
describe("describeDevice", () => {
  it.each([
    [
      "Chrome on Windows",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
      "Chrome 120 on Windows 10",
    ],
    [
      "Firefox on Linux",
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      "Firefox 128 on Linux",
    ],
    [
      "Safari on iPhone",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
      "Safari 17 on iOS 17.2",
    ],
    [
      "Chrome on Android",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
      "Chrome 120 on Android 14",
    ],
  ])("names the browser's major version and the system: %s", (_label, userAgent, expected) => {
    expect(describeDevice(userAgent)).toBe(expected);
  });

  it.each([
    ["curl", "curl/8.4.0"],
    ["an empty user agent", ""],
    ["a made-up user agent", "vitest"],
    ["no user agent", null],
  ])("says 'Unknown device' for %s", (_label, userAgent) => {
    expect(describeDevice(userAgent)).toBe("Unknown device");
  });
});
