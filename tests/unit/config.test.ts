import os from "node:os";
import path from "node:path";
import { NextResponse } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearsSessionCookie } from "@/lib/config/cookie-name.mjs";
import { BCRYPT_POOL_DEFAULTS, ConfigError, getDatabaseTarget, parseSettings } from "@/lib/config/env";
import { parseServerSettings } from "@/lib/config/server.mjs";
import { childEnv, parseTooling } from "@/lib/config/tooling.mjs";
import { sessionCookieAttributes, sessionCookieName } from "@/lib/session/session-cookie";

const NEW_SECRET = "n".repeat(32);
const OLD_SECRET = "o".repeat(40);

/** An environment with a valid secret, plus `overrides`. */
const env = (overrides: Record<string, string | undefined> = {}) => ({ SESSION_SECRET: NEW_SECRET, ...overrides });

/** The ConfigError that `parse` (parseSettings unless told) throws for `environment`. */
function configError(
  environment: Record<string, string | undefined>,
  parse: (env: typeof environment) => unknown = parseSettings,
): ConfigError {
  try {
    parse(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`${parse.name} accepted an invalid environment`);
}

describe("parseSettings", () => {
  it("refuses a missing SESSION_SECRET, naming it", () => {
    const error = configError({});
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain("SESSION_SECRET");
  });

  it.each([
    ["a short secret", "s".repeat(31)],
    ["an empty secret", ""],
    ["only commas and spaces", " , ,"],
    ["a short old secret after a good one", `${NEW_SECRET},short`],
  ])("refuses %s", (_label, secret) => {
    expect(configError({ SESSION_SECRET: secret }).message).toContain("SESSION_SECRET");
  });

  it("splits rotated secrets, newest first, trimming spaces", () => {
    expect(parseSettings(env({ SESSION_SECRET: `${NEW_SECRET}, ${OLD_SECRET} ` })).sessionSecrets).toEqual([
      NEW_SECRET,
      OLD_SECRET,
    ]);
    expect(parseSettings(env()).sessionSecrets).toEqual([NEW_SECRET]);
  });

  it("has defaults for everything but the secret", () => {
    expect(parseSettings(env())).toEqual({
      nodeEnv: "development",
      database: { kind: "sqlite", url: "file:./prisma/sesame.db", file: "./prisma/sesame.db" },
      databasePoolSize: 10,
      sessionSecrets: [NEW_SECRET],
      appOrigin: null,
      secureCookies: false,
      bcryptCost: 12,
      bcryptWorkers: Math.max(1, os.availableParallelism() - 1),
      bcryptQueueLimit: 32,
      trustedProxies: 0,
      benchEndpoints: false,
      sessionCacheSize: 10_000,
      sessionCacheMaxBytes: 32 * 1024 * 1024,
      clearIntervalSeconds: 3600,
      sessionEngine: "db",
      redisUrl: null,
      redisKeyPrefix: "sesame:",
      sessionFilePath: path.resolve("var", "sessions"),
      rateLimits: {
        loginFailuresPerAccountAndIp: { points: 10, seconds: 900 },
        loginFailuresPerAccount: { points: 100, seconds: 3600 },
        loginFailuresPerIp: { points: 100, seconds: 900 },
        registrationsPerIp: { points: 10, seconds: 3600 },
        newSessionsPerIp: { points: 600, seconds: 3600 },
      },
      expiry: {
        idleSeconds: 1800,
        absoluteSeconds: 43200,
        rememberIdleSeconds: 30 * 24 * 3600,
        rememberAbsoluteSeconds: 90 * 24 * 3600,
        touchIntervalSeconds: 60,
      },
      reauthWindowSeconds: 600,
    });
  });

  it("reads SESSION_REAUTH_WINDOW as whole seconds, and refuses anything else, naming it", () => {
    expect(parseSettings(env({ SESSION_REAUTH_WINDOW: "3" })).reauthWindowSeconds).toBe(3);
    for (const value of ["0", "-5", "1.5", "ten minutes", "10m"]) {
      const message = configError(env({ SESSION_REAUTH_WINDOW: value })).message;
      expect(message).toContain("SESSION_REAUTH_WINDOW");
    }
  });

  it.each(["db", "cached_db", "file", "cookie"])("accepts SESSION_ENGINE=%s without Redis", (engine) => {
    expect(parseSettings(env({ SESSION_ENGINE: engine })).sessionEngine).toBe(engine);
  });

  it("refuses SESSION_ENGINE=cache without REDIS_URL, saying why", () => {
    const message = configError(env({ SESSION_ENGINE: "cache" })).message;
    expect(message).toContain("REDIS_URL");
    expect(message).toContain("SESSION_ENGINE=cache");
    const settings = parseSettings(env({ SESSION_ENGINE: "cache", REDIS_URL: "redis://127.0.0.1:6379" }));
    expect(settings.redisUrl).toBe("redis://127.0.0.1:6379");
  });

  it("refuses an unknown SESSION_ENGINE and a REDIS_URL that is not redis://, naming them", () => {
    expect(configError(env({ SESSION_ENGINE: "signed_cookies" })).message).toMatch(
      /SESSION_ENGINE: must be one of db, cached_db/,
    );
    expect(configError(env({ REDIS_URL: "http://127.0.0.1:6379" })).message).toContain("REDIS_URL");
  });

  it("bounds the session cache in bytes: 1 MiB at least, so 0 cannot mean unbounded", () => {
    expect(parseSettings(env({ SESSION_CACHE_MAX_BYTES: "1048576" })).sessionCacheMaxBytes).toBe(1024 * 1024);
    for (const value of ["0", "1048575", "-1", "32MB", "1.5"]) {
      expect(configError(env({ SESSION_CACHE_MAX_BYTES: value })).message).toContain("SESSION_CACHE_MAX_BYTES");
    }
    expect(configError(env({ SESSION_CACHE_MAX_BYTES: "0" })).message).toContain("must be at least 1048576 (1 MiB)");
  });

  it("resolves SESSION_FILE_PATH to an absolute folder", () => {
    expect(parseSettings(env({ SESSION_FILE_PATH: "var/sessions" })).sessionFilePath).toBe(
      path.resolve("var/sessions"),
    );
  });

  it("uses secure cookies for an https APP_URL and keeps only its origin", () => {
    const settings = parseSettings(env({ APP_URL: "https://sesame.example/some/path" }));
    expect(settings.secureCookies).toBe(true);
    expect(settings.appOrigin).toBe("https://sesame.example");
  });

  it("uses plain cookies for an http APP_URL", () => {
    const settings = parseSettings(env({ APP_URL: "http://localhost:3000" }));
    expect(settings.secureCookies).toBe(false);
    expect(settings.appOrigin).toBe("http://localhost:3000");
  });

  it("refuses an APP_URL that is not http(s)", () => {
    expect(configError(env({ APP_URL: "ftp://sesame.example" })).message).toContain("APP_URL");
    expect(configError(env({ APP_URL: "sesame.example" })).message).toContain("APP_URL");
  });

  it("accepts BCRYPT_COST from 10 to 15 only", () => {
    expect(parseSettings(env({ BCRYPT_COST: "10" })).bcryptCost).toBe(10);
    expect(parseSettings(env({ BCRYPT_COST: "15" })).bcryptCost).toBe(15);
    for (const cost of ["9", "16", "12.5", "twelve"]) {
      expect(configError(env({ BCRYPT_COST: cost })).message).toContain("BCRYPT_COST");
    }
  });

  it.each<[string | undefined, number]>([
    ["1", 1],
    ["2", 2],
    ["false", 0],
    ["0", 0],
    ["", 0],
    [undefined, 0],
  ])("reads TRUST_PROXY=%j as %s trusted proxies", (value, expected) => {
    expect(parseSettings(env({ TRUST_PROXY: value })).trustedProxies).toBe(expected);
  });

  it("refuses a TRUST_PROXY it does not understand", () => {
    expect(configError(env({ TRUST_PROXY: "yes" })).message).toContain("TRUST_PROXY");
    expect(configError(env({ TRUST_PROXY: "-1" })).message).toContain("TRUST_PROXY");
  });

  it("refuses TRUST_PROXY=true, which once trusted a hop the client writes, and says what to set instead", () => {
    expect(configError(env({ TRUST_PROXY: "true" })).message).toMatch(/TRUST_PROXY.*TRUST_PROXY=1/);
  });

  it("reads the bcrypt pool's size and queue bound", () => {
    const settings = parseSettings(env({ BCRYPT_WORKERS: "3", BCRYPT_QUEUE_LIMIT: "8" }));
    expect([settings.bcryptWorkers, settings.bcryptQueueLimit]).toEqual([3, 8]);
    expect(configError(env({ BCRYPT_WORKERS: "0" })).message).toContain("BCRYPT_WORKERS");
    expect(configError(env({ BCRYPT_QUEUE_LIMIT: "many" })).message).toContain("BCRYPT_QUEUE_LIMIT");
  });

  it("reads RATE_LIMIT_SESSION_IP like the other budgets", () => {
    expect(parseSettings(env({ RATE_LIMIT_SESSION_IP: "50/60" })).rateLimits.newSessionsPerIp).toEqual({
      points: 50,
      seconds: 60,
    });
    expect(configError(env({ RATE_LIMIT_SESSION_IP: "lots" })).message).toContain("RATE_LIMIT_SESSION_IP");
  });

  it("reads the timeouts as whole positive seconds", () => {
    const settings = parseSettings(env({ SESSION_IDLE_TIMEOUT: "600", SESSION_TOUCH_INTERVAL: "30" }));
    expect(settings.expiry.idleSeconds).toBe(600);
    expect(settings.expiry.touchIntervalSeconds).toBe(30);
    expect(configError(env({ SESSION_IDLE_TIMEOUT: "-5" })).message).toContain("SESSION_IDLE_TIMEOUT");
    expect(configError(env({ SESSION_ABSOLUTE_TIMEOUT: "1.5" })).message).toContain("SESSION_ABSOLUTE_TIMEOUT");
  });

  it("reads SESSION_CLEAR_INTERVAL in seconds, 0 turning the server's own clearing off", () => {
    expect(parseSettings(env({ SESSION_CLEAR_INTERVAL: "0" })).clearIntervalSeconds).toBe(0);
    expect(parseSettings(env({ SESSION_CLEAR_INTERVAL: "600" })).clearIntervalSeconds).toBe(600);
    expect(configError(env({ SESSION_CLEAR_INTERVAL: "-1" })).message).toContain("SESSION_CLEAR_INTERVAL");
    expect(configError(env({ SESSION_CLEAR_INTERVAL: "hourly" })).message).toContain("SESSION_CLEAR_INTERVAL");
  });

  it("takes a SQLite file: URL or a PostgreSQL URL, and nothing else", () => {
    expect(parseSettings(env({ DATABASE_URL: "file:/tmp/x.db" })).database).toEqual({
      kind: "sqlite",
      url: "file:/tmp/x.db",
      file: "/tmp/x.db",
    });
    for (const url of ["postgresql://sesame:pw@db.internal:5432/sesame", "postgres://db/sesame?sslmode=require"])
      expect(parseSettings(env({ DATABASE_URL: url })).database).toEqual({ kind: "postgresql", url });
    for (const url of ["mysql://db/sesame", "postgresql://", "file:", "./prisma/sesame.db", "postgresql:db"])
      expect(configError(env({ DATABASE_URL: url })).message).toMatch(/DATABASE_URL: must be a SQLite file URL/);
  });

  it("reads DATABASE_POOL_SIZE, a positive number of connections", () => {
    expect(parseSettings(env({ DATABASE_POOL_SIZE: "25" })).databasePoolSize).toBe(25);
    for (const bad of ["0", "-1", "many", "1.5"])
      expect(configError(env({ DATABASE_POOL_SIZE: bad })).message).toContain("DATABASE_POOL_SIZE");
  });

  it("names every bad variable at once", () => {
    const message = configError({ BCRYPT_COST: "9", TRUST_PROXY: "maybe" }).message;
    expect(message).toContain("SESSION_SECRET");
    expect(message).toContain("BCRYPT_COST");
    expect(message).toContain("TRUST_PROXY");
  });
});

describe("BCRYPT_POOL_DEFAULTS", () => {
  it("are the settings' defaults, which the password pool uses until it is configured", () => {
    const settings = parseSettings(env());
    expect(BCRYPT_POOL_DEFAULTS).toEqual({ workers: settings.bcryptWorkers, queueLimit: settings.bcryptQueueLimit });
  });
});

describe("getDatabaseTarget, for the Prisma CLI and npm run db:migrate", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reads DATABASE_URL as the app does, without needing the secret", () => {
    vi.stubEnv("SESSION_SECRET", undefined);
    vi.stubEnv("DATABASE_URL", undefined);
    expect(getDatabaseTarget()).toEqual({ kind: "sqlite", url: "file:./prisma/sesame.db", file: "./prisma/sesame.db" });
    vi.stubEnv("DATABASE_URL", "postgres://db/sesame");
    expect(getDatabaseTarget()).toEqual({ kind: "postgresql", url: "postgres://db/sesame" });
    vi.stubEnv("DATABASE_URL", "mysql://db/sesame");
    expect(() => getDatabaseTarget()).toThrow(/DATABASE_URL: must be a SQLite file URL/);
  });
});

describe("parseServerSettings (server.mjs)", () => {
  it("has defaults: port 3000, no trusted proxy, no metrics", () => {
    expect(parseServerSettings({})).toEqual({ port: 3000, trustedProxies: 0, metrics: false });
  });

  it("reads PORT, TRUST_PROXY and SESAME_METRICS", () => {
    expect(parseServerSettings({ PORT: "4000", TRUST_PROXY: "1", SESAME_METRICS: "1" })).toEqual({
      port: 4000,
      trustedProxies: 1,
      metrics: true,
    });
  });

  it.each(["abc", "0", "65536", "80.5", ""])("refuses PORT=%j, naming it", (port) => {
    expect(configError({ PORT: port }, parseServerSettings).message).toContain(
      "PORT: must be a port number from 1 to 65535",
    );
  });

  it("refuses a SESAME_METRICS that is not a flag", () => {
    expect(configError({ SESAME_METRICS: "yes" }, parseServerSettings).message).toContain(
      "SESAME_METRICS: must be true, false, 1 or 0",
    );
  });

  it("refuses TRUST_PROXY with the app's own message", () => {
    const message = configError({ TRUST_PROXY: "true" }, parseServerSettings).message;
    expect(message).toBe(configError(env({ TRUST_PROXY: "true" })).message);
    expect(message).toMatch(/TRUST_PROXY.*TRUST_PROXY=1/);
  });
});

describe("the session cookie's name, shared by lib/session and server.mjs", () => {
  it.each([false, true])(
    "server.mjs recognises the cookie the app clears at logout (https: %s), and only that",
    (secure) => {
      const name = sessionCookieName(secure);
      const cleared = new NextResponse();
      cleared.cookies.set(name, "", { ...sessionCookieAttributes(secure, 0), expires: new Date(0) });
      const set = new NextResponse();
      set.cookies.set(name, "sealed-value", sessionCookieAttributes(secure, 60));
      expect(cleared.headers.getSetCookie().map(clearsSessionCookie)).toEqual([true]);
      expect(set.headers.getSetCookie().map(clearsSessionCookie)).toEqual([false]);
      expect(clearsSessionCookie(`${name}_other=; Path=/; Max-Age=0`)).toBe(false);
    },
  );
});

describe("parseTooling (tests, benchmark, install script)", () => {
  it("has the defaults the tests and the benchmark always had", () => {
    expect(parseTooling({})).toEqual({
      e2ePort: 3210,
      benchPort: 4100,
      chromiumPath: "/usr/bin/chromium",
      ci: false,
      fuzzRunsScale: 1,
      fuzzSeed: undefined,
      sessionSecretInEnvironment: false,
    });
  });

  it("reads each variable", () => {
    const tooling = parseTooling({
      E2E_PORT: "3510",
      BENCH_PORT: "4200",
      PLAYWRIGHT_CHROMIUM_PATH: "/opt/chromium",
      CI: "true",
      FUZZ_RUNS_SCALE: "0.5",
      FUZZ_SEED: "-42",
      SESSION_SECRET: "anything",
    });
    expect(tooling).toEqual({
      e2ePort: 3510,
      benchPort: 4200,
      chromiumPath: "/opt/chromium",
      ci: true,
      fuzzRunsScale: 0.5,
      fuzzSeed: -42,
      sessionSecretInEnvironment: true,
    });
  });

  it("counts any non-empty CI as CI, and an empty FUZZ_SEED or SESSION_SECRET as unset", () => {
    expect(parseTooling({ CI: "1" }).ci).toBe(true);
    expect(parseTooling({ CI: "" }).ci).toBe(false);
    expect(parseTooling({ FUZZ_SEED: "" }).fuzzSeed).toBeUndefined();
    expect(parseTooling({ SESSION_SECRET: "" }).sessionSecretInEnvironment).toBe(false);
  });

  it("names every bad variable", () => {
    const message = configError(
      { E2E_PORT: "e2e", BENCH_PORT: "0", FUZZ_RUNS_SCALE: "0", FUZZ_SEED: "1.5" },
      parseTooling,
    ).message;
    expect(message).toMatch(/^Sesame's tests and tools cannot run/);
    for (const name of ["E2E_PORT", "BENCH_PORT", "FUZZ_RUNS_SCALE", "FUZZ_SEED"])
      expect(message).toContain(`${name}: `);
  });
});

describe("childEnv", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("copies this process's environment with the overrides on top, leaving it untouched", () => {
    vi.stubEnv("SESAME_INHERITED", "yes");
    vi.stubEnv("PORT", "1234");
    expect(childEnv({ PORT: "4321" })).toMatchObject({ SESAME_INHERITED: "yes", PORT: "4321" });
    expect(childEnv()).toMatchObject({ SESAME_INHERITED: "yes", PORT: "1234" });
  });
});
