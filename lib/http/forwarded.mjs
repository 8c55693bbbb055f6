// Plain JavaScript, because server.mjs runs without a TypeScript step and must agree with the app
// on who the client is. TRUST_PROXY itself is parsed in lib/config/server.mjs.

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
