// The variables of the end-to-end tests, the benchmark and the install script, which come from the
// shell: none of these loads the .env files. Plain JavaScript, because bench/run.mjs and
// scripts/setup.mjs run without a TypeScript step.
import { z } from "zod";
import { orExit, parseEnv, port } from "./parse.mjs";

const toolingSchema = z.object({
  E2E_PORT: port(3210),
  BENCH_PORT: port(4100),
  // Debian's Chromium: Playwright's own download is unavailable here.
  PLAYWRIGHT_CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  // CI services set CI=true; as for most tools, any value but an empty one counts.
  CI: z
    .string()
    .optional()
    .transform((value) => Boolean(value)),
  FUZZ_RUNS_SCALE: z.coerce
    .number({ error: "must be a positive number" })
    .positive("must be a positive number")
    .default(1),
  FUZZ_SEED: z
    .literal("")
    .transform(() => undefined)
    .or(z.coerce.number({ error: "must be a whole number" }).int("must be a whole number"))
    .optional(),
  // Only whether it is set: lib/config/env.ts parses the secret itself.
  SESSION_SECRET: z.string().optional(),
  // `npm run createsuperuser -- --no-input`, as Django's DJANGO_SUPERUSER_*; checked like a registration.
  SUPERUSER_EMAIL: z.string().optional(),
  SUPERUSER_PASSWORD: z.string().optional(),
});

/**
 * @typedef {object} Tooling
 * @property {number} e2ePort The end-to-end server's port; its database lives in e2e/.tmp/<port>.
 * @property {number} benchPort The port `npm run bench` serves on.
 * @property {string} chromiumPath The browser Playwright drives.
 * @property {boolean} ci Under CI: two workers, a list report only, and `test.only` refused.
 * @property {number} fuzzRunsScale Multiplies the number of runs of each fuzz property.
 * @property {number | undefined} fuzzSeed Replays a failed fuzz run.
 * @property {boolean} sessionSecretInEnvironment scripts/setup.mjs then leaves .env.local alone.
 * @property {string | undefined} superuserEmail `createsuperuser --no-input`'s email.
 * @property {string | undefined} superuserPassword `createsuperuser --no-input`'s password, for a new account.
 */

/**
 * Parses the tooling variables, or throws a ConfigError that names every bad one.
 * @param {Record<string, string | undefined>} env
 * @returns {Tooling}
 */
export function parseTooling(env) {
  const e = parseEnv(toolingSchema, env, "Sesame's tests and tools cannot run: the configuration is invalid.");
  return {
    e2ePort: e.E2E_PORT,
    benchPort: e.BENCH_PORT,
    chromiumPath: e.PLAYWRIGHT_CHROMIUM_PATH,
    ci: e.CI,
    fuzzRunsScale: e.FUZZ_RUNS_SCALE,
    fuzzSeed: e.FUZZ_SEED,
    sessionSecretInEnvironment: Boolean(e.SESSION_SECRET),
    superuserEmail: e.SUPERUSER_EMAIL,
    superuserPassword: e.SUPERUSER_PASSWORD,
  };
}

/** @type {Tooling | undefined} */
let cached;

/**
 * The tooling variables, parsed on first use. A bad value ends the process with a message naming it.
 * @returns {Tooling}
 */
export function getTooling() {
  cached ??= orExit(() => parseTooling(process.env));
  return cached;
}

/**
 * Gives E2E_PORT a default before anything reads it, in this process and in the ones it starts
 * (Playwright's workers), so `npm run screenshots` gets a port and a database of its own.
 * @param {number} fallback
 * @returns {void}
 */
export function defaultE2ePort(fallback) {
  if (cached) throw new Error("defaultE2ePort must run before the tooling variables are read");
  process.env.E2E_PORT ??= String(fallback);
}

/**
 * The environment for a child process: this one's, with `overrides` on top.
 * @param {Record<string, string>} [overrides]
 * @returns {NodeJS.ProcessEnv}
 */
export function childEnv(overrides = {}) {
  return { ...process.env, ...overrides };
}
