import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { Budget, RateLimitPolicy } from "../auth/rate-limit";
import { ENGINE_CATALOGUE, SESSION_ENGINES, type SessionEngineName } from "../session/engine-catalogue";
import { databaseTargetOf, databaseUrlSchema, readDatabaseTarget, type DatabaseTarget } from "./database.mjs";
import { booleanFlag, ConfigError, parseEnv } from "./parse.mjs";
import { trustProxy } from "./server.mjs";

export { ConfigError, type DatabaseTarget };

/**
 * Every environment variable the app reads, parsed once into typed settings. server.mjs's own
 * (PORT, SESAME_METRICS) are in server.mjs, the tests' and the benchmark's in tooling.mjs.
 * `.env.example` documents each one.
 */
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Parses "points/seconds", as the RATE_LIMIT_* variables are written. */
export function parseBudget(text: string): Budget | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return null;
  const points = Number(match[1]);
  const seconds = Number(match[2]);
  return points > 0 && seconds > 0 ? { points, seconds } : null;
}

const budget = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const parsed = parseBudget(text);
      if (!parsed) ctx.addIssue({ code: "custom", message: 'must look like "10/900": 10 attempts per 900 seconds' });
      return parsed ?? { points: 1, seconds: 1 };
    });

/**
 * The bcrypt pool without BCRYPT_WORKERS and BCRYPT_QUEUE_LIMIT: one core stays free for the
 * thread that serves requests. lib/auth/password.ts falls back to it before it is configured.
 */
export const BCRYPT_POOL_DEFAULTS: Readonly<{ workers: number; queueLimit: number }> = {
  workers: Math.max(1, os.availableParallelism() - 1),
  queueLimit: 32,
};

/** The smallest byte bound of the in-process session cache: 1 MiB, a few dozen full sessions. */
const MIN_CACHE_BYTES = 1024 * 1024;

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: databaseUrlSchema,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    SESSION_SECRET: z
      .string({ error: "is not set. Run `npm install` to generate one into .env.local, or set it yourself." })
      .transform((raw) =>
        raw
          .split(",")
          .map((secret) => secret.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().min(32, "each secret must be at least 32 characters"))
          .min(1, "is empty. Set at least one secret of 32 characters or more."),
      ),
    APP_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://sesame.example" }).optional(),
    BCRYPT_COST: z.coerce.number().int().min(10).max(15).default(12),
    SESSION_IDLE_TIMEOUT: seconds(30 * 60),
    SESSION_ABSOLUTE_TIMEOUT: seconds(12 * 60 * 60),
    SESSION_REMEMBER_IDLE_TIMEOUT: seconds(30 * 24 * 60 * 60),
    SESSION_REMEMBER_ABSOLUTE_TIMEOUT: seconds(90 * 24 * 60 * 60),
    SESSION_TOUCH_INTERVAL: seconds(60),
    SESSION_REAUTH_WINDOW: seconds(10 * 60),
    TRUST_PROXY: trustProxy,
    SESSION_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
    SESSION_CACHE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(
        MIN_CACHE_BYTES,
        `must be at least ${MIN_CACHE_BYTES} (1 MiB); SESSION_CACHE_SIZE=0 is what turns the cache off`,
      )
      .default(32 * MIN_CACHE_BYTES),
    SESSION_CLEAR_INTERVAL: z.coerce
      .number()
      .int()
      .min(0)
      .default(60 * 60),
    RATE_LIMIT_LOGIN_ACCOUNT_IP: budget("10/900"),
    RATE_LIMIT_LOGIN_ACCOUNT: budget("100/3600"),
    RATE_LIMIT_LOGIN_IP: budget("100/900"),
    RATE_LIMIT_REGISTER_IP: budget("10/3600"),
    RATE_LIMIT_SESSION_IP: budget("600/3600"),
    BCRYPT_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
    BCRYPT_QUEUE_LIMIT: z.coerce.number().int().min(1).default(BCRYPT_POOL_DEFAULTS.queueLimit),
    BENCH_ENDPOINTS: booleanFlag,
    SESSION_ENGINE: z.enum(SESSION_ENGINES, { error: `must be one of ${SESSION_ENGINES.join(", ")}` }).default("db"),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: "must be a Redis URL such as redis://127.0.0.1:6379" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w:.-]{0,64}$/, "may hold letters, digits and _ : . - only (64 at most)")
      .default("sesame:"),
    SESSION_FILE_PATH: z.string().min(1).default(path.join("var", "sessions")),
  })
  .superRefine((env, ctx) => {
    if (ENGINE_CATALOGUE[env.SESSION_ENGINE].redis === "required" && !env.REDIS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_URL"],
        message: `is required with SESSION_ENGINE=${env.SESSION_ENGINE}, which keeps sessions only in Redis (e.g. REDIS_URL=redis://127.0.0.1:6379)`,
      });
    }
  });

/** Every variable the app reads, for the test that keeps `.env.example` and the README complete. */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

export interface Settings {
  nodeEnv: "development" | "production" | "test";
  /** DATABASE_URL: SQLite (a file:) or PostgreSQL, where users, sessions and limits are kept. */
  database: DatabaseTarget;
  /** PostgreSQL connections this process may hold open for the session path and the limits. */
  databasePoolSize: number;
  /** Newest first. The first seals new cookies; the others still open old ones. */
  sessionSecrets: string[];
  appOrigin: string | null;
  secureCookies: boolean;
  bcryptCost: number;
  /** bcrypt worker threads: BCRYPT_WORKERS, else one less than the machine's cores. */
  bcryptWorkers: number;
  /** Password checks that may wait for a worker; past that, the answer is 503 with Retry-After. */
  bcryptQueueLimit: number;
  /** How many reverse proxies stand in front: the client is the address the outermost one saw. */
  trustedProxies: number;
  /** Serves the benchmark's own endpoints (GET /api/bench/stateless); off except under `npm run bench`. */
  benchEndpoints: boolean;
  /** Sessions kept in this process's read-through cache; 0 turns the cache off. */
  sessionCacheSize: number;
  /** The estimated bytes that cache may hold, whatever the number of sessions. */
  sessionCacheMaxBytes: number;
  /** Seconds between the server's own clearings of expired sessions; 0 leaves it to `npm run sessions:clear`. */
  clearIntervalSeconds: number;
  rateLimits: RateLimitPolicy;
  /** SESSION_ENGINE: db (default), cached_db, cache (Redis), file or cookie. */
  sessionEngine: SessionEngineName;
  /** Redis for `cache`, and the shared cache of `cached_db` (without it, an in-process LRU). */
  redisUrl: string | null;
  redisKeyPrefix: string;
  /** The folder of the `file` engine: `var/sessions` in the project folder unless set. It must be private to this user. */
  sessionFilePath: string;
  expiry: {
    idleSeconds: number;
    absoluteSeconds: number;
    rememberIdleSeconds: number;
    rememberAbsoluteSeconds: number;
    touchIntervalSeconds: number;
  };
  /**
   * SESSION_REAUTH_WINDOW: seconds a password entry (login or confirmation) counts as fresh for
   * sensitive actions (sudo mode). Not part of the expiry policy: it never ends a session.
   */
  reauthWindowSeconds: number;
}

/** Parses an environment into settings, or throws a ConfigError that names every bad variable. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const e = parseEnv(envSchema, env);
  const appUrl = e.APP_URL ? new URL(e.APP_URL) : null;
  return {
    nodeEnv: e.NODE_ENV,
    database: databaseTargetOf(e.DATABASE_URL),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    sessionSecrets: e.SESSION_SECRET,
    appOrigin: appUrl?.origin ?? null,
    secureCookies: appUrl?.protocol === "https:",
    bcryptCost: e.BCRYPT_COST,
    bcryptWorkers: e.BCRYPT_WORKERS ?? BCRYPT_POOL_DEFAULTS.workers,
    bcryptQueueLimit: e.BCRYPT_QUEUE_LIMIT,
    trustedProxies: e.TRUST_PROXY,
    benchEndpoints: e.BENCH_ENDPOINTS,
    sessionCacheSize: e.SESSION_CACHE_SIZE,
    sessionCacheMaxBytes: e.SESSION_CACHE_MAX_BYTES,
    clearIntervalSeconds: e.SESSION_CLEAR_INTERVAL,
    sessionEngine: e.SESSION_ENGINE,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    sessionFilePath: path.resolve(e.SESSION_FILE_PATH),
    rateLimits: {
      loginFailuresPerAccountAndIp: e.RATE_LIMIT_LOGIN_ACCOUNT_IP,
      loginFailuresPerAccount: e.RATE_LIMIT_LOGIN_ACCOUNT,
      loginFailuresPerIp: e.RATE_LIMIT_LOGIN_IP,
      registrationsPerIp: e.RATE_LIMIT_REGISTER_IP,
      newSessionsPerIp: e.RATE_LIMIT_SESSION_IP,
    },
    expiry: {
      idleSeconds: e.SESSION_IDLE_TIMEOUT,
      absoluteSeconds: e.SESSION_ABSOLUTE_TIMEOUT,
      rememberIdleSeconds: e.SESSION_REMEMBER_IDLE_TIMEOUT,
      rememberAbsoluteSeconds: e.SESSION_REMEMBER_ABSOLUTE_TIMEOUT,
      touchIntervalSeconds: e.SESSION_TOUCH_INTERVAL,
    },
    reauthWindowSeconds: e.SESSION_REAUTH_WINDOW,
  };
}

let cached: Settings | undefined;

/** The process's settings, parsed on first use. */
export function getSettings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}

/**
 * DATABASE_URL alone, for the Prisma CLI (prisma.config.ts), which works on the database without
 * needing the rest of the settings, such as the secret. Throws a ConfigError when it is invalid.
 */
export function getDatabaseTarget(): DatabaseTarget {
  return readDatabaseTarget(process.env);
}
