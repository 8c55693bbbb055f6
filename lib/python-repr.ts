import type { JsonValue } from "./session/json";

/**
 * A JSON value as Python's `repr()` shows the same value, for the Django lines beside Sesame's calls:
 * `None`, `True`, `False`, `'text'`, `[1, 2]`, `{'a': 1}`: what a Django user sees in a shell for
 * `json.loads` of the JSON that Sesame stores.
 */
export function pythonRepr(value: JsonValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pythonString(key)}: ${pythonRepr(item)}`)
    .join(", ")}}`;
}

/**
 * As Python reads the number from the JSON Sesame stores: JSON.stringify writes a whole number below
 * 1e21 with digits only, which json.loads makes an int (`42`); anything else is a float, in Python's
 * form: the shortest digits that round-trip (as JavaScript's), with an exponent below 1e-4 and from
 * 1e16 up (`1e-05`, `1e+21`), else with a decimal point (`0.5`).
 */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return JSON.stringify(value);
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const fixed = String(value);
  return fixed.includes(".") ? fixed : `${fixed}.0`;
}

/** Python's str repr: single quotes unless the text holds one and no double quote; unprintable characters escaped. */
export function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = "";
  for (const char of text) {
    if (char === quote || char === "\\") body += `\\${char}`;
    else if (char === "\t") body += "\\t";
    else if (char === "\n") body += "\\n";
    else if (char === "\r") body += "\\r";
    else if (char !== " " && UNPRINTABLE.test(char)) body += escape(char.codePointAt(0) ?? 0);
    else body += char;
  }
  return `${quote}${body}${quote}`;
}

/** What Python's str.isprintable() refuses: control, format, surrogate, private-use, unassigned and separators but the space. */
const UNPRINTABLE = /^[\p{C}\p{Z}]$/u;

function escape(code: number): string {
  const hex = code.toString(16);
  if (code < 0x100) return `\\x${hex.padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}
