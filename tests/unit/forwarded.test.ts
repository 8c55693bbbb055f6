import { describe, expect, it } from "vitest";
import { parseTrustProxy } from "@/lib/config/server.mjs";
import { clientAddressOf } from "@/lib/http/forwarded.mjs";

// server.mjs appends the connecting peer to X-Forwarded-For, so the last entry is always the peer.
describe("clientAddressOf", () => {
  it("with no trusted proxy, is the peer, whatever the client wrote before it", () => {
    expect(clientAddressOf("203.0.113.66, 127.0.0.1", 0)).toBe("127.0.0.1");
  });

  it("behind one proxy that appends, is the address the proxy saw, not the one the client wrote", () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the client's real address; we appended the proxy's.
    expect(clientAddressOf("1.2.3.4, 198.51.100.7, 10.0.0.2", 1)).toBe("198.51.100.7");
  });

  it("behind two proxies, is the address the outermost one saw", () => {
    expect(clientAddressOf("6.6.6.6, 198.51.100.7, 10.0.0.3, 10.0.0.2", 2)).toBe("198.51.100.7");
  });

  it("with fewer entries than trusted proxies, falls back to the first", () => {
    expect(clientAddressOf("198.51.100.7", 3)).toBe("198.51.100.7");
  });

  it("is null without a header, and ignores empty entries", () => {
    expect(clientAddressOf(null, 1)).toBeNull();
    expect(clientAddressOf(" , ", 0)).toBeNull();
    expect(clientAddressOf("198.51.100.7, , 10.0.0.2", 1)).toBe("198.51.100.7");
  });
});

describe("parseTrustProxy", () => {
  it("counts proxies", () => {
    expect(parseTrustProxy(undefined)).toEqual({ ok: true, hops: 0 });
    expect(parseTrustProxy("false")).toEqual({ ok: true, hops: 0 });
    expect(parseTrustProxy(" 2 ")).toEqual({ ok: true, hops: 2 });
  });

  it("refuses true and anything that is not a count", () => {
    expect(parseTrustProxy("true").ok).toBe(false);
    expect(parseTrustProxy("yes").ok).toBe(false);
    expect(parseTrustProxy("1.5").ok).toBe(false);
  });
});
