import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateUserId, generateSessionId, generateToken, hashToken, sessionIdLabel } from "@/lib/session/token";

describe("generateToken", () => {
  it("is 43 base64url characters: 256 bits", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
  });

  it("differs between calls", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => generateToken()));
    expect(tokens.size).toBe(100);
  });
});

describe("hashToken", () => {
  it("is the hex SHA-256 of the token", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is deterministic and tells tokens apart", () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(generateToken()));
  });
});

describe("generateUserId", () => {
  it("is random and unrelated to any token or hash", () => {
    const id = generateUserId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(generateUserId()).not.toBe(id);
    const token = generateToken();
    const userId = generateUserId();
    expect(userId).not.toBe(token);
    expect(userId).not.toBe(hashToken(token));
    expect(token.startsWith(userId)).toBe(false);
  });
});

describe("sessionIdLabel", () => {
  it("tells apart ids made in the same moment, whose starts are the same timestamp", () => {
    const ids = Array.from({ length: 50 }, () => generateSessionId());
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeLessThan(3);
    expect(new Set(ids.map(sessionIdLabel)).size).toBe(50);
  });

  it("is the id's last 8 characters", () => {
    expect(sessionIdLabel("01a23745-6789-7abc-8def-0123456789ab")).toBe("…456789ab");
  });
});
