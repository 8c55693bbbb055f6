import { describe, expect, it } from "vitest";
import { SessionValueError } from "@/lib/session/errors";
import {
  assertJsonValue,
  assertValidKey,
  jsonTypeOf,
  MAX_DATA_BYTES,
  MAX_KEY_LENGTH,
  parseData,
  serializeData,
} from "@/lib/session/json";

/** The SessionValueError message that `fn` throws. */
function valueErrorMessage(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionValueError);
    return (error as Error).message;
  }
  throw new Error("expected a SessionValueError");
}

describe("assertJsonValue", () => {
  it("accepts JSON values of every type, nested", () => {
    const value = {
      s: "text",
      n: -1.5,
      z: 0,
      t: true,
      f: false,
      nil: null,
      list: [1, "two", [3], { four: 4 }],
      empty: {},
    };
    expect(() => assertJsonValue(value)).not.toThrow();
    expect(() => assertJsonValue(Object.assign(Object.create(null) as object, { a: 1 }))).not.toThrow();
  });

  it("accepts the same object twice when it is shared, not cyclic", () => {
    const shared = { a: 1 };
    expect(() => assertJsonValue({ left: shared, right: shared, list: [shared, shared] })).not.toThrow();
  });

  it("names the path to the offending value", () => {
    expect(valueErrorMessage(() => assertJsonValue({ user: { prefs: [1, 2, undefined] } }))).toContain(
      "value.user.prefs[2]",
    );
    expect(valueErrorMessage(() => assertJsonValue({ when: new Date(0) }))).toMatch(/value\.when is a Date object/);
    expect(valueErrorMessage(() => assertJsonValue([Number.NaN]))).toMatch(/value\[0\] is NaN/);
    expect(valueErrorMessage(() => assertJsonValue({ big: BigInt(2) }))).toMatch(/value\.big is of type bigint/);
    expect(valueErrorMessage(() => assertJsonValue(() => 1, "cart"))).toMatch(/^cart is of type function/);
  });

  it("names the cycle", () => {
    const node: { next?: unknown } = {};
    node.next = { back: node };
    expect(valueErrorMessage(() => assertJsonValue(node))).toMatch(/value\.next\.back refers back to itself/);
  });

  it.each<[string, unknown]>([
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a Map", new Map()],
    ["a Set", new Set()],
    ["a RegExp", /x/],
    ["a typed array", new Uint8Array(2)],
    ["a symbol", Symbol("s")],
    ["undefined", undefined],
  ])("refuses %s", (_label, value) => {
    expect(() => assertJsonValue(value)).toThrow(SessionValueError);
  });
});

describe("assertValidKey", () => {
  it("accepts keys from 1 to 128 characters", () => {
    expect(() => assertValidKey("k")).not.toThrow();
    expect(() => assertValidKey("k".repeat(MAX_KEY_LENGTH))).not.toThrow();
  });

  it("refuses empty, over-long and non-string keys", () => {
    expect(() => assertValidKey("")).toThrow(SessionValueError);
    expect(valueErrorMessage(() => assertValidKey("k".repeat(MAX_KEY_LENGTH + 1)))).toContain("129");
    expect(() => assertValidKey(7)).toThrow(SessionValueError);
  });

  it('refuses "__proto__", naming it, and still accepts look-alikes', () => {
    expect(valueErrorMessage(() => assertValidKey("__proto__"))).toContain("__proto__");
    expect(() => assertValidKey("__proto")).not.toThrow();
    expect(() => assertValidKey("proto")).not.toThrow();
    expect(() => assertValidKey("constructor")).not.toThrow();
  });
});

describe("serializeData", () => {
  it("is JSON.stringify of the data", () => {
    expect(serializeData({ a: [1, { b: null }], c: "é" })).toBe('{"a":[1,{"b":null}],"c":"é"}');
  });

  it("allows exactly 64 KiB of UTF-8 and refuses one byte more", () => {
    const overhead = '{"k":""}'.length;
    expect(serializeData({ k: "x".repeat(MAX_DATA_BYTES - overhead) })).toHaveLength(MAX_DATA_BYTES);
    const message = valueErrorMessage(() => serializeData({ k: "x".repeat(MAX_DATA_BYTES - overhead + 1) }));
    expect(message).toContain(String(MAX_DATA_BYTES + 1));
    expect(message).toContain("64 KiB");
  });

  it("measures bytes: multibyte text reaches the cap with fewer characters", () => {
    const overhead = '{"k":""}'.length;
    const threeByteChars = "€".repeat(Math.ceil((MAX_DATA_BYTES - overhead + 1) / 3));
    expect(threeByteChars.length + overhead).toBeLessThan(MAX_DATA_BYTES);
    expect(() => serializeData({ k: threeByteChars })).toThrow(SessionValueError);
  });
});

describe("parseData", () => {
  it("parses a stored object", () => {
    expect(parseData('{"a":1,"b":[true,null]}')).toEqual({ a: 1, b: [true, null] });
    expect(parseData("{}")).toEqual({});
  });

  it.each(["{not json", "", "null", "[1,2]", '"text"', "42", "true", '{"a":1'])("returns null for %j", (text) => {
    expect(parseData(text)).toBeNull();
  });
});

describe("jsonTypeOf", () => {
  it.each<[Parameters<typeof jsonTypeOf>[0], ReturnType<typeof jsonTypeOf>]>([
    [null, "null"],
    [true, "boolean"],
    [0, "number"],
    ["", "string"],
    [[], "array"],
    [[1, 2], "array"],
    [{}, "object"],
    [{ a: [1] }, "object"],
  ])("jsonTypeOf(%j) is %s", (value, expected) => {
    expect(jsonTypeOf(value)).toBe(expected);
  });
});
