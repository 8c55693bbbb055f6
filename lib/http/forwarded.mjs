// Plain JavaScript, because server.mjs runs without a TypeScript step and must agree with the app
// on who the client is. lib/config/env.ts parses TRUST_PROXY with the same function.

/**
 * TRUST_PROXY counts the reverse proxies in front of Sesame: 0 (or false, or unset) for none,
 * 1 for one, and so on. "true" is refused: it used to mean "trust the first hop", which the
 * client writes itself behind a proxy that appends.
 * @param {string | undefined} raw
 * @returns {{ ok: true, hops: number } | { ok: false, message: string }}
 */
export function parseTrustProxy(raw) {
  const text = (raw ?? "").trim();
  if (text === "" || text === "false") return { ok: true, hops: 0 };
  if (/^\d{1,2}$/.test(text)) return { ok: true, hops: Number(text) };
  if (text === "true") {
    return { ok: false, message: 'now counts the proxies in front of Sesame: set TRUST_PROXY=1 behind one reverse proxy, 0 with none' };
  }
  return { ok: false, message: "must be the number of reverse proxies in front of Sesame (0 with none, 1 behind one)" };
}

/**
 * The client's address from an X-Forwarded-For chain whose last entry is the address of the peer
 * that connected to us (server.mjs appends it). Each trusted proxy appends the address it saw, so
 * with `hops` trusted proxies the client is the entry `hops` places before the peer. Anything
 * further left was written by the client and proves nothing.
 * @param {string | null | undefined} forwardedFor
 * @param {number} hops
 * @returns {string | null}
 */
export function clientAddressOf(forwardedFor, hops) {
  if (!forwardedFor) return null;
  const chain = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return null;
  return chain[Math.max(0, chain.length - 1 - hops)] ?? null;
}
