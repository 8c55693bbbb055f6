import { describe, expect, it } from "vitest";
import { pythonRepr, pythonString } from "@/lib/python-repr";

// Each expectation is what CPython prints for repr(json.loads(JSON.stringify(value))).
describe("pythonRepr", () => {
  it("writes None, True and False for null, true and false", () => {
    expect(pythonRepr(null)).toBe("None");
    expect(pythonRepr(true)).toBe("True");
    expect(pythonRepr(false)).toBe("False");
  });

  it("writes whole numbers as ints, as json.loads reads them, and the rest as Python floats", () => {
    expect(pythonRepr(0)).toBe("0");
    expect(pythonRepr(-0)).toBe("0");
    expect(pythonRepr(42)).toBe("42");
    expect(pythonRepr(-7)).toBe("-7");
    expect(pythonRepr(0.5)).toBe("0.5");
    expect(pythonRepr(-1.25)).toBe("-1.25");
    expect(pythonRepr(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(pythonRepr(0.0001)).toBe("0.0001");
    expect(pythonRepr(0.00001)).toBe("1e-05");
    expect(pythonRepr(-1.5e-7)).toBe("-1.5e-07");
    expect(pythonRepr(2 ** 53)).toBe("9007199254740992");
    expect(pythonRepr(1e20)).toBe("100000000000000000000");
    expect(pythonRepr(1e21)).toBe("1e+21");
    expect(pythonRepr(-2.5e21)).toBe("-2.5e+21");
    expect(pythonRepr(12345.678)).toBe("12345.678");
    expect(pythonRepr(1.5e300)).toBe("1.5e+300");
  });

  it("quotes strings as Python does: single quotes unless the text holds one and no double quote", () => {
    expect(pythonRepr("cart")).toBe("'cart'");
    expect(pythonRepr("")).toBe("''");
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr(`say "hi"`)).toBe(`'say "hi"'`);
    expect(pythonRepr(`it's "both"`)).toBe(`'it\\'s "both"'`);
    expect(pythonRepr("back\\slash")).toBe("'back\\\\slash'");
  });

  it("escapes what Python cannot print and keeps every printable character", () => {
    expect(pythonString("a\tb\nc\rd")).toBe("'a\\tb\\nc\\rd'");
    expect(pythonString("\u0000\u001b\u007f")).toBe("'\\x00\\x1b\\x7f'");
    expect(pythonString("no\u00a0break")).toBe("'no\\xa0break'");
    expect(pythonString("zero\u200bwidth")).toBe("'zero\\u200bwidth'");
    expect(pythonString("line\u2028sep")).toBe("'line\\u2028sep'");
    expect(pythonString("\ud800")).toBe("'\\ud800'");
    expect(pythonString("\u{e0001}")).toBe("'\\U000e0001'");
    expect(pythonString("café 東京 🍪")).toBe("'café 東京 🍪'");
  });

  it("writes lists and dicts with Python's separators, nested", () => {
    expect(pythonRepr([])).toBe("[]");
    expect(pythonRepr({})).toBe("{}");
    expect(pythonRepr([1, { sku: "A-1" }])).toBe("[1, {'sku': 'A-1'}]");
    expect(pythonRepr({ a: 1, b: [true, null], "it's": { c: "d" } })).toBe(
      `{'a': 1, 'b': [True, None], "it's": {'c': 'd'}}`,
    );
  });
});
