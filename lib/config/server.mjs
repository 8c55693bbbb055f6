// The settings of server.mjs, Sesame's Node.js front, which runs without a TypeScript step.
// lib/config/env.ts reads TRUST_PROXY with the schema below, so the front and the app agree on
// who the client is.
import { z } from "zod";
import { booleanFlag, orExit, parseEnv, port } from "./parse.mjs";

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
    return {
      ok: false,
      message: "now counts the proxies in front of Sesame: set TRUST_PROXY=1 behind one reverse proxy, 0 with none",
    };
  }
  return { ok: false, message: "must be the number of reverse proxies in front of Sesame (0 with none, 1 behind one)" };
}

/** TRUST_PROXY as a number of trusted proxies. */
export const trustProxy = z
  .string()
  .optional()
  .transform((text, ctx) => {
    const parsed = parseTrustProxy(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
    return parsed.ok ? parsed.hops : 0;
  });

const serverSchema = z.object({
  PORT: port(3000),
  TRUST_PROXY: trustProxy,
  SESAME_METRICS: booleanFlag,
});

/** server.mjs's variables, for the test that keeps `.env.example` and the README complete. */
export const SERVER_SETTING_NAMES = Object.keys(serverSchema.shape);

/**
 * @typedef {object} ServerSettings
 * @property {number} port
 * @property {number} trustedProxies How many reverse proxies of ours stand in front; with 0, forwarded headers are dropped.
 * @property {boolean} metrics Serves /__sesame/metrics (event-loop delay and memory), for `npm run bench` only.
 */

/**
 * Parses server.mjs's settings, or throws a ConfigError that names every bad variable.
 * @param {Record<string, string | undefined>} env
 * @returns {ServerSettings}
 */
export function parseServerSettings(env) {
  const e = parseEnv(serverSchema, env);
  return { port: e.PORT, trustedProxies: e.TRUST_PROXY, metrics: e.SESAME_METRICS };
}

/**
 * server.mjs's settings from the environment; call it after the .env files are loaded. A bad
 * value ends the process with a message naming it, before Next.js starts.
 * @returns {ServerSettings}
 */
export function getServerSettings() {
  return orExit(() => parseServerSettings(process.env));
}
