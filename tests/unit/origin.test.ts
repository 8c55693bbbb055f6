import { describe, expect, it } from "vitest";
import { checkSameOrigin, isJsonContentType } from "@/lib/http/origin";

const APP_ORIGIN = "http://localhost:3000";
const check = (headers: Record<string, string>) => checkSameOrigin(new Headers(headers), APP_ORIGIN);

describe("checkSameOrigin", () => {
  it("accepts a request from the app's origin", () => {
    expect(check({ origin: APP_ORIGIN, "sec-fetch-site": "same-origin" })).toEqual({ ok: true });
    expect(check({ origin: APP_ORIGIN })).toEqual({ ok: true });
  });

  it.each([
    ["another site", "https://evil.example"],
    ["the opaque origin null", "null"],
    ["a look-alike host", "http://localhost:3000.evil.com"],
    ["another scheme", "https://localhost:3000"],
    ["another port", "http://localhost:3001"],
    ["an empty Origin", ""],
  ])("refuses an Origin of %s", (_label, origin) => {
    expect(check({ origin }).ok).toBe(false);
  });

  it("refuses Sec-Fetch-Site cross-site even with a matching Origin", () => {
    const result = check({ origin: APP_ORIGIN, "sec-fetch-site": "cross-site" });
    expect(result.ok).toBe(false);
  });

  it("a foreign Origin is not rescued by a matching Referer", () => {
    expect(check({ origin: "https://evil.example", referer: `${APP_ORIGIN}/account` }).ok).toBe(false);
  });

  it("without Origin, accepts a Referer from the app", () => {
    expect(check({ referer: `${APP_ORIGIN}/account?tab=sessions` })).toEqual({ ok: true });
  });

  it.each(["https://evil.example/page", "http://localhost:3000.evil.com/", "not a url", "/relative"])(
    "without Origin, refuses a Referer of %j",
    (referer) => {
      expect(check({ referer }).ok).toBe(false);
    },
  );

  it("refuses a request with neither Origin nor Referer, and says why", () => {
    const result = check({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/neither Origin nor Referer/);
  });
});

describe("isJsonContentType", () => {
  it.each<[string | null, boolean]>([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON ; charset=UTF-8", true],
    ["text/plain", false],
    ["text/plain; application/json", false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    ["application/jsonp", false],
    ["", false],
    [null, false],
  ])("%j → %s", (contentType, expected) => {
    expect(isJsonContentType(contentType)).toBe(expected);
  });
});
