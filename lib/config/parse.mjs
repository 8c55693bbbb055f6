// How every Sesame variable is parsed and refused. Plain JavaScript, because server.mjs, the
// benchmark and the install script run without a TypeScript step, yet must read a variable as
// lib/config/env.ts does and refuse a bad one the same way.
import { z } from "zod";

/** A configuration that cannot be used. Its message names every bad variable. */
export class ConfigError extends Error {
  name = "ConfigError";
}

/**
 * Parses `env` with `schema`, or throws a ConfigError listing every bad variable under `heading`.
 * @template {z.ZodType} T
 * @param {T} schema
 * @param {Record<string, string | undefined>} env
 * @param {string} [heading]
 * @returns {z.output<T>}
 */
export function parseEnv(schema, env, heading = "Sesame cannot start: the configuration is invalid.") {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`${heading}\n${lines.join("\n")}`);
}

/**
 * Runs `read`. A ConfigError is printed and ends the process with exit code 1, so a bad setting
 * gives a message that names it, never a stack trace.
 * @template T
 * @param {() => T} read
 * @returns {T}
 */
export function orExit(read) {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}

/** "true" or "1" turns it on; "false", "0" or empty leaves it off; anything else is refused. */
export const booleanFlag = z
  .enum(["true", "false", "1", "0", ""], { error: "must be true, false, 1 or 0" })
  .default("false")
  .transform((value) => value === "true" || value === "1");

const PORT_RANGE = "must be a port number from 1 to 65535";

/**
 * A TCP port to listen on.
 * @param {number} fallback
 */
export const port = (fallback) =>
  z.coerce.number({ error: PORT_RANGE }).int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE).default(fallback);
