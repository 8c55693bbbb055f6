import { describe, expect, it } from "vitest";
import {
  cookieBytes,
  MAX_COOKIE_BYTES,
  sessionCookieAttributes,
  sessionCookieName,
} from "@/lib/session/session-cookie";
import { createTokenSealer } from "@/lib/session/sealer";
import { generateToken } from "@/lib/session/token";

const OLD_SECRET = "old-secret-0123456789abcdefghijklmnopqrstuv";
const NEW_SECRET = "new-secret-0123456789abcdefghijklmnopqrstuv";
const OTHER_SECRET = "other-secret-0123456789abcdefghijklmnopqrst";

/** The same string with the character at `index` replaced by a different one. */
function flipCharAt(text: string, index: number): string {
  const replacement = text[index] === "A" ? "B" : "A";
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe("createTokenSealer", () => {
  it("round-trips a token through seal and unseal", async () => {
    const sealer = createTokenSealer([NEW_SECRET]);
    const token = generateToken();
    const sealed = await sealer.seal(token);
    expect(sealed).not.toContain(token);
    expect(await sealer.unseal(sealed)).toBe(token);
  });

  it("seals the same token differently each time, and both open", async () => {
    const sealer = createTokenSealer([NEW_SECRET]);
    const token = generateToken();
    const [a, b] = await Promise.all([sealer.seal(token), sealer.seal(token)]);
    expect(a).not.toBe(b);
    expect(await sealer.unseal(a)).toBe(token);
    expect(await sealer.unseal(b)).toBe(token);
  });

  it("refuses a seal with any one character changed", async () => {
    const sealer = createTokenSealer([NEW_SECRET]);
    const sealed = await sealer.seal(generateToken());
    // Positions across the whole seal: prefix, salts, iv, ciphertext, hmac and version suffix.
    const positions = [
      0,
      7,
      Math.floor(sealed.length / 4),
      Math.floor(sealed.length / 2),
      sealed.length - 10,
      sealed.length - 1,
    ];
    for (const index of positions) {
      expect(await sealer.unseal(flipCharAt(sealed, index)), `flipped at ${index}`).toBeNull();
    }
  });

  it("remembers opened values, but never a tampered copy of one", async () => {
    const token = generateToken();
    const sealed = await createTokenSealer([NEW_SECRET]).seal(token);
    const sealer = createTokenSealer([NEW_SECRET], 2);
    expect(await sealer.unseal(sealed)).toBe(token);
    expect(await sealer.unseal(sealed)).toBe(token);
    expect(await sealer.unseal(flipCharAt(sealed, sealed.length - 5))).toBeNull();
  });

  it("still opens a value after the memo has forgotten it", async () => {
    const sealer = createTokenSealer([NEW_SECRET], 1);
    const first = generateToken();
    const firstSeal = await sealer.seal(first);
    await sealer.seal(generateToken()); // pushes the first value out of a memo of one
    expect(await sealer.unseal(firstSeal)).toBe(first);
    expect(await createTokenSealer([NEW_SECRET], 0).unseal(firstSeal)).toBe(first);
  });

  it("remembers nothing it could not open", async () => {
    const sealer = createTokenSealer([NEW_SECRET], 10);
    const foreign = await createTokenSealer([OTHER_SECRET]).seal(generateToken());
    expect(await sealer.unseal(foreign)).toBeNull();
    expect(await sealer.unseal(foreign)).toBeNull();
  });

  it("refuses a seal made with another secret", async () => {
    const sealed = await createTokenSealer([OTHER_SECRET]).seal(generateToken());
    expect(await createTokenSealer([NEW_SECRET]).unseal(sealed)).toBeNull();
  });

  it.each([
    ["garbage", "not-a-seal"],
    ["an empty string", ""],
    ["a 5000-character string", "a".repeat(5000)],
    ["iron-looking garbage", "Fe26.2*1*salt*iv*data**salt*hmac~2"],
  ])("returns null for %s", async (_label, value) => {
    expect(await createTokenSealer([NEW_SECRET]).unseal(value)).toBeNull();
  });

  it("refuses a valid seal that holds something other than a session token", async () => {
    const sealer = createTokenSealer([NEW_SECRET]);
    expect(await sealer.unseal(await sealer.seal("short"))).toBeNull();
    expect(await sealer.unseal(await sealer.seal(`${generateToken()}x`))).toBeNull();
  });

  it("opens an old seal after a rotation: the new secret first, the old one kept", async () => {
    const token = generateToken();
    const oldSeal = await createTokenSealer([OLD_SECRET]).seal(token);
    const rotated = createTokenSealer([NEW_SECRET, OLD_SECRET]);
    expect(await rotated.unseal(oldSeal)).toBe(token);
  });

  it("seals with the newest secret after a rotation", async () => {
    const token = generateToken();
    const newSeal = await createTokenSealer([NEW_SECRET, OLD_SECRET]).seal(token);
    expect(await createTokenSealer([OLD_SECRET]).unseal(newSeal)).toBeNull();
    expect(await createTokenSealer([NEW_SECRET, OLD_SECRET]).unseal(newSeal)).toBe(token);
  });

  describe("rotation across three secrets: A oldest, B, C newest", () => {
    const A = "secret-a-0123456789abcdefghijklmnopqrstuvw";
    const B = "secret-b-0123456789abcdefghijklmnopqrstuvw";
    const C = "secret-c-0123456789abcdefghijklmnopqrstuvw";
    const sealWith = async (secrets: string[], token: string) => createTokenSealer(secrets).seal(token);
    const openWith = (secrets: string[], sealed: string) => createTokenSealer(secrets).unseal(sealed);

    it("a seal made with [C, B, A] opens once A is retired", async () => {
      const token = generateToken();
      expect(await openWith([C, B], await sealWith([C, B, A], token))).toBe(token);
    });

    it("a seal made with [B, A] opens after C is added in front, and with B alone", async () => {
      const token = generateToken();
      const sealed = await sealWith([B, A], token);
      expect(await openWith([C, B], sealed)).toBe(token);
      expect(await openWith([B], sealed)).toBe(token);
    });

    it("a seal made with [C, B] does not open without C", async () => {
      const sealed = await sealWith([C, B], generateToken());
      expect(await openWith([B, A], sealed)).toBeNull();
      expect(await openWith([B], sealed)).toBeNull();
    });

    it("new seals are made with the first secret only", async () => {
      const token = generateToken();
      expect(await openWith([C], await sealWith([C, B], token))).toBe(token);
      expect(await openWith([C], await sealWith([C, B, A], token))).toBe(token);
    });
  });

  it("needs at least one secret", () => {
    expect(() => createTokenSealer([])).toThrow(/at least one secret/);
  });
});

describe("session cookie name and attributes", () => {
  it("uses the __Host- prefix only for secure cookies", () => {
    expect(sessionCookieName(true)).toMatch(/^__Host-/);
    expect(sessionCookieName(false)).not.toMatch(/^__Host-/);
  });

  it("is httpOnly, SameSite=Lax, Path=/ and secure as asked", () => {
    expect(sessionCookieAttributes(true, 3600)).toEqual({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: true,
      maxAge: 3600,
    });
    expect(sessionCookieAttributes(false, 60)).toMatchObject({ secure: false, maxAge: 60 });
  });

  it("has no maxAge for a browser-session cookie", () => {
    const attributes = sessionCookieAttributes(true, undefined);
    expect(attributes).not.toHaveProperty("maxAge");
    expect(attributes).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
  });

  it("keeps maxAge 0, which deletes the cookie", () => {
    expect(sessionCookieAttributes(false, 0)).toHaveProperty("maxAge", 0);
  });
});

describe("cookieBytes", () => {
  it("counts name=value in UTF-8 bytes, as browsers do against their 4096-byte limit", async () => {
    expect(cookieBytes("sesame_session", "abc")).toBe("sesame_session=abc".length);
    expect(cookieBytes("n", "é")).toBe(4); // "n", "=", and two bytes for é
    const sealed = await createTokenSealer([NEW_SECRET]).seal(generateToken());
    expect(cookieBytes("sesame_session", sealed)).toBe(sealed.length + "sesame_session=".length);
    expect(cookieBytes("sesame_session", sealed)).toBeLessThan(MAX_COOKIE_BYTES);
  });
});
