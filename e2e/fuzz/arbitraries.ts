import fc from "fast-check";

/**
 * Hostile input for the fuzz suite: strings an attacker or a broken client might send, JSON of
 * the wrong type, numbers JSON cannot hold, prototype-polluting keys and very deep nesting.
 * Bodies are built as raw JSON text so that values JSON.stringify cannot produce (1e400, duplicate
 * keys, "__proto__" as an own key) still reach the server exactly as written.
 */

export const SQL_FRAGMENTS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '"; DROP TABLE "User"; --',
  '\'; DELETE FROM "Session"; --',
  '\' UNION SELECT passwordHash, tokenHash FROM "User", "Session" --',
  "admin'--",
  "1; SELECT * FROM sqlite_master",
  "%' OR email LIKE '%",
  "\\'; --",
  "x' AND (SELECT load_extension('evil')) --",
];

export const HTML_FRAGMENTS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  "</textarea><script>alert(1)</script>",
  "javascript:alert(1)",
  "<iframe srcdoc='<script>alert(1)</script>'>",
  "{{7*7}}${7*7}<%= 7*7 %>",
  "<!--",
  "]]>&amp;&lt;&#0;",
];

export const CONTROL_FRAGMENTS = [
  "\u0000",
  "\u0000\u0007\u001b[31m",
  "\u001b]0;pwned\u0007",
  "\r\n\r\nX-Injected: 1",
  "\b\b\b\b",
  "\u007f\u0085\u009b",
  "\u2028\u2029",
  "\ufeff",
  "\t\v\f",
];

export const UNICODE_FRAGMENTS = [
  "\u202e",
  "user\u202egpj.exe",
  "\u200b\u200c\u200d\u2060",
  "👩‍👩‍👧‍👦",
  "🔥🦄💩",
  "Z̴̡̪͔ͣa̵̟l̸̛g̷o",
  "ｅｘａｍｐｌｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
  "İıſK",
  "ß",
  "e\u0301",
  "日本語テキスト",
  "עברית العربية",
  "\ud800",
  "\udfff",
  "\udc00\ud800",
  "a\ud83d",
  "\uffff\ufffe",
  "\u{10ffff}",
];

export const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
];

/** Number tokens that JSON.stringify cannot produce: out of double range, absurd precision, negative zero. */
export const HUGE_NUMBER_TEXTS = [
  "1e400",
  "-1e400",
  "1e-400",
  "-0",
  "123456789012345678901234567890",
  `1${"0".repeat(400)}`,
  "9007199254740993",
  "0.1e999999",
];

const FRAGMENTS = [...SQL_FRAGMENTS, ...HTML_FRAGMENTS, ...CONTROL_FRAGMENTS, ...UNICODE_FRAGMENTS, ...PROTO_KEYS];

/** One character repeated 1,000 to `max` times: plain, accented, astral, NUL, markup, quote, backslash, percent. */
function longString(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom("a", "é", "🔥", "\u0000", "<", '"', "\\", "%"), fc.integer({ min: 1_000, max }))
    .map(([unit, count]) => unit.repeat(count));
}

/**
 * Any hostile string: random code points, graphemes, attack fragments and their mixes, and huge
 * strings of up to `maxLong` characters (100,000 by default; 0 for none).
 */
export function hostileString(options: { maxLong?: number } = {}): fc.Arbitrary<string> {
  const maxLong = options.maxLong ?? 100_000;
  const arbitraries: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 3 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 2 },
    { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 4 },
    {
      arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 2, maxLength: 4 }).map((parts) => parts.join("")),
      weight: 2,
    },
    { arbitrary: fc.constantFrom("", " ", "   ", "\u00a0"), weight: 1 },
  ];
  if (maxLong >= 1_000) arbitraries.push({ arbitrary: longString(maxLong), weight: 1 });
  return fc.oneof(...arbitraries);
}

/** An email-looking string wrapped in hostile content, which may or may not pass validation. */
export function hostileEmail(options: { maxLong?: number } = {}): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: hostileString(options), weight: 3 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...FRAGMENTS, "", " ", "A"), fc.emailAddress(), fc.constantFrom(...FRAGMENTS, "", " "))
        .map(([before, email, after]) => `${before}${email}${after}`),
      weight: 2,
    },
    { arbitrary: fc.emailAddress(), weight: 1 },
  );
}

/** A JSON value of a type a string field does not expect. */
export const wrongTypeJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("email", "password", "value", ...PROTO_KEYS), fc.string({ maxLength: 8 }), {
    maxKeys: 3,
  }),
);

/** Raw JSON text for one value: hostile strings, wrong types, huge numbers, prototype keys. */
export function hostileJson(options: { maxLong?: number } = {}): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: hostileString(options).map((text) => JSON.stringify(text)), weight: 5 },
    { arbitrary: wrongTypeJson.map((value) => JSON.stringify(value)), weight: 3 },
    { arbitrary: fc.constantFrom(...HUGE_NUMBER_TEXTS), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(...PROTO_KEYS)
        .map((key) => `{${JSON.stringify(key)}:{"isAdmin":true,"polluted":"yes"}}`),
      weight: 1,
    },
  );
}

export const hostileJsonText: fc.Arbitrary<string> = hostileJson();

/** A JSON object's text from raw member texts: duplicate keys and "__proto__" stay as written. */
export function objectText(members: [string, string][]): string {
  return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
}

/**
 * Raw JSON body text for an endpoint with the given string fields: each field is valid-looking,
 * hostile or missing, with extra members (including prototype keys) mixed in, or a body that is
 * not an object at all.
 */
export function hostileBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  const members = Object.entries(fields).map(([name, plausible]) =>
    fc.option(
      fc
        .oneof(
          { arbitrary: plausible.map((value) => JSON.stringify(value) ?? "null"), weight: 2 },
          { arbitrary: hostileJsonText, weight: 3 },
        )
        .map((value): [string, string] => [name, value]),
      { freq: 6 },
    ),
  );
  const extras = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTO_KEYS, ...Object.keys(fields)), fc.string({ maxLength: 10 })),
      hostileJsonText,
    ),
    { maxLength: 2 },
  );
  const asObject = fc
    .tuple(fc.tuple(...members), extras)
    .map(([present, extra]) =>
      objectText([...present.filter((member): member is [string, string] => member !== null), ...extra]),
    );
  return fc.oneof(
    { arbitrary: asObject, weight: 8 },
    { arbitrary: hostileJsonText, weight: 1 },
    { arbitrary: fc.constantFrom("[]", "null", "0", '""', "true"), weight: 1 },
  );
}

/** Nesting built by hand (fc.object's depth is limited): arrays, objects, or both, depth levels deep. */
export function deeplyNested(depth: number, shape: "array" | "object" | "mixed"): string {
  if (shape === "array") return `${"[".repeat(depth)}${"]".repeat(depth)}`;
  if (shape === "object") return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level += 1) {
    if (level % 2 === 0) {
      open.push("[");
      close.push("]");
    } else {
      open.push('{"k":');
      close.push("}");
    }
  }
  return `${open.join("")}null${close.reverse().join("")}`;
}

export const nestingShape = fc.constantFrom<"array" | "object" | "mixed">("array", "object", "mixed");

/**
 * Path segments that are not valid percent-encoded UTF-8: a bare or truncated escape, non-hex
 * digits, overlong and surrogate encodings (WTF-8 of a lone surrogate), stray continuation bytes.
 */
export const MALFORMED_SEGMENTS = [
  "%",
  "%Z",
  "%ZZ",
  "abc%",
  "%E0%A4%A",
  "%C0%AF",
  "%ED%A0%80",
  "%FF",
  "%80",
  "%F4%90%80%80",
  "key%E2%82",
];

export const malformedSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...MALFORMED_SEGMENTS),
  // One or more bytes that can never start or complete a UTF-8 sequence.
  fc
    .array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 })
    .filter((bytes) => !isValidUtf8(bytes))
    .map((bytes) => bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("")),
);

function isValidUtf8(bytes: number[]): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
    return true;
  } catch {
    return false;
  }
}

/** What a form or a URL makes of a string: lone surrogates become U+FFFD (String.prototype.toWellFormed). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
