import { spawn } from "node:child_process";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import type { BrowserContext, Page } from "@playwright/test";
import { childEnv } from "../lib/config/tooling.mjs";
import { databaseTargetOf } from "../lib/config/database.mjs";
import { applyMigrations } from "../lib/db/migrations.mjs";
import { startPostgres, type ThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { startRedis, type ThrowawayRedis } from "../scripts/throwaway-redis.mjs";
import { BASE_URL, E2E_DATABASE_URL, E2E_PORT, E2E_SESSION_SECRET } from "./env";
import { COOKIE_NAME, expect, fact, test, uniqueClientIp } from "./fixtures";
import { startSecondServer, type SecondServer } from "./second-server";

// Two production servers on one database, each with its own in-process caches, as an operator
// runs `npm run serve` on two machines (or twice on one). Whatever ends a session through one
// server must be refused by the other on its very next request, and parallel writes through both
// must all survive. Run on the SQLite default (A is the main test server, B a second one on the
// same file), on PostgreSQL, and on PostgreSQL with Redis as cached_db's shared cache.
interface Deployment {
  title: string;
  engine: "db" | "cached_db";
  database: "sqlite" | "postgresql";
  redis: boolean;
  /** A's port, or null for the main test server. */
  portA: number | null;
  portB: number;
}

const DEPLOYMENTS: Deployment[] = [
  { title: "one SQLite file", engine: "db", database: "sqlite", redis: false, portA: null, portB: E2E_PORT + 5 },
  { title: "PostgreSQL", engine: "db", database: "postgresql", redis: false, portA: E2E_PORT + 6, portB: E2E_PORT + 7 },
  {
    title: "PostgreSQL and Redis (cached_db)",
    engine: "cached_db",
    database: "postgresql",
    redis: true,
    portA: E2E_PORT + 8,
    portB: E2E_PORT + 9,
  },
];

// In order, in one worker (each deployment's servers hold fixed ports), yet a failure skips nothing.
test.describe.configure({ mode: "default" });

/** Sends a request as one browser would: its cookie, its address, and the Origin of the server it talks to. */
async function send(
  origin: string,
  method: string,
  route: string,
  { cookie, ip, body }: { cookie?: string; ip: string; body?: unknown },
): Promise<Response> {
  return fetch(`${origin}${route}`, {
    method,
    headers: {
      Origin: origin,
      "X-Forwarded-For": ip,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(cookie ? { Cookie: `${COOKIE_NAME}=${cookie}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function cookieFrom(response: Response): string {
  const line = response.headers.getSetCookie().find((value) => value.startsWith(`${COOKIE_NAME}=`));
  const value = line?.slice(COOKIE_NAME.length + 1).split(";")[0];
  if (!value) throw new Error(`expected a session cookie, got status ${response.status}`);
  return value;
}

interface Account {
  email: string;
  password: string;
}

/** A new account, registered through the API as a visitor would (each from its own address). */
async function register(origin: string): Promise<Account> {
  const account = {
    email: `several-${randomBytes(6).toString("hex")}@example.test`,
    password: `pw-${randomBytes(9).toString("base64url")}`,
  };
  const response = await send(origin, "POST", "/api/auth/register", { ip: uniqueClientIp(), body: account });
  expect(response.status).toBe(201);
  return account;
}

async function logIn(origin: string, user: Account, ip: string): Promise<string> {
  const response = await send(origin, "POST", "/api/auth/login", {
    ip,
    body: { email: user.email, password: user.password },
  });
  expect(response.status).toBe(200);
  return cookieFrom(response);
}

interface SessionAnswer {
  authenticated: boolean;
  session: { data: Record<string, unknown> } | null;
}

async function whoAmI(origin: string, cookie: string, ip: string): Promise<SessionAnswer> {
  return (await (await send(origin, "GET", "/api/session", { cookie, ip })).json()) as SessionAnswer;
}

async function changePasswordOn(page: Page, origin: string, current: string, next: string): Promise<void> {
  await page.goto(`${origin}/account`);
  await page.getByLabel("Current password", { exact: true }).fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("Confirm new password", { exact: true }).fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();
}

async function useCookie(context: BrowserContext, origin: string, cookie: string): Promise<void> {
  await context.addCookies([{ name: COOKIE_NAME, value: cookie, url: origin, httpOnly: true, sameSite: "Lax" }]);
}

/** Expired sessions for `npm run sessions:clear` to find, written straight into the database. */
async function seedExpiredSessions(databaseUrl: string, count: number): Promise<void> {
  const past = new Date(Date.now() - 3_600_000).toISOString();
  const prefix = randomBytes(4).toString("hex");
  const target = databaseTargetOf(databaseUrl);
  if (target.kind === "sqlite") {
    const db = new Database(target.file);
    try {
      db.pragma("busy_timeout = 5000");
      const sqliteDate = past.replace("Z", "+00:00");
      const insert =
        db.prepare(`INSERT INTO "Session" ("id", "tokenHash", "lastSeenAt", "expiresAt", "absoluteExpiresAt")
        VALUES (?, ?, ?, ?, ?)`);
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const id = `${prefix}-${i}`;
          insert.run(id, createHash("sha256").update(id).digest("hex"), sqliteDate, sqliteDate, sqliteDate);
        }
      })();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined); // a lost connection fails the query below instead
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Session" ("id", "tokenHash", "lastSeenAt", "expiresAt", "absoluteExpiresAt")
       SELECT $1 || '-' || n, encode(sha256(convert_to($1 || '-' || n, 'UTF8')), 'hex'), $2, $2, $2
       FROM generate_series(1, $3::int) AS n`,
      [prefix, past, count],
    );
  } finally {
    await client.end();
  }
}

for (const deployment of DEPLOYMENTS) {
  test.describe(`two servers on ${deployment.title}`, () => {
    let A = BASE_URL;
    let B = "";
    let databaseUrl = E2E_DATABASE_URL;
    const started: SecondServer[] = [];
    let postgres: ThrowawayPostgres | undefined;
    let redis: ThrowawayRedis | undefined;
    let user: Account;

    test.beforeAll(async () => {
      test.setTimeout(120_000);
      const env: Record<string, string> = { TRUST_PROXY: "1", SESSION_ENGINE: deployment.engine };
      if (deployment.database === "postgresql") {
        postgres = await startPostgres();
        databaseUrl = await postgres.createDatabase("sesame_e2e");
        await applyMigrations({ kind: "postgresql", url: databaseUrl });
      }
      if (deployment.redis) env.REDIS_URL = (redis = await startRedis()).url;
      env.DATABASE_URL = databaseUrl;
      const servers = await Promise.all(
        [deployment.portA, deployment.portB].map((port) => (port === null ? null : startSecondServer(port, env))),
      );
      for (const server of servers) if (server) started.push(server);
      A = servers[0]?.origin ?? BASE_URL;
      B = servers[1]?.origin ?? "";
      user = await register(A);
    });

    test.afterAll(async () => {
      for (const server of started) server.stop();
      await redis?.stop();
      postgres?.stop();
    });

    test("the pages name the database that holds the session, beside the engine", async ({ page, context }) => {
      const name = deployment.database === "sqlite" ? "SQLite" : "PostgreSQL";
      await useCookie(context, B, await logIn(B, user, uniqueClientIp()));
      await page.goto(`${B}/backends`);
      await expect(page.getByText(`This server runs SESSION_ENGINE=${deployment.engine} on ${name}.`)).toBeVisible();
      await expect(fact(page.getByRole("region", { name: "What the server holds" }), "Database")).toHaveText(name);
      await page.goto(`${B}/dashboard`);
      await expect(fact(page.getByRole("region", { name: "On the server" }), "Database")).toContainText(name);
    });

    test("a logout through B is refused by A on its very next request", async () => {
      const ip = uniqueClientIp();
      const cookie = await logIn(A, user, ip);
      expect((await whoAmI(A, cookie, ip)).authenticated).toBe(true); // A now holds the session in its cache
      expect((await send(B, "POST", "/api/auth/logout", { cookie, ip, body: {} })).status).toBe(204);
      expect((await whoAmI(A, cookie, ip)).authenticated).toBe(false);
    });

    test("a revocation through B ends the session on A", async () => {
      const ip = uniqueClientIp();
      const onA = await logIn(A, user, ip);
      const onB = await logIn(B, user, ip);
      expect((await whoAmI(A, onA, ip)).authenticated).toBe(true);
      const listed = (await (await send(B, "GET", "/api/sessions", { cookie: onB, ip })).json()) as {
        sessions: { id: string; current: boolean }[];
      };
      const others = listed.sessions.filter((session) => !session.current);
      expect(others.length).toBeGreaterThan(0);
      for (const other of others)
        expect((await send(B, "DELETE", `/api/sessions/${other.id}`, { cookie: onB, ip })).status).toBe(204);
      expect((await whoAmI(A, onA, ip)).authenticated).toBe(false);
      expect((await whoAmI(B, onB, ip)).authenticated).toBe(true);
    });

    test("50 parallel writes of different keys, alternating A and B, all survive and A reads every one", async () => {
      const ip = uniqueClientIp();
      const cookie = await logIn(A, user, ip);
      await whoAmI(A, cookie, ip);
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const response = await send(i % 2 === 0 ? A : B, "PUT", `/api/session/keys/key${i}`, {
            cookie,
            ip,
            body: { value: i },
          });
          await response.arrayBuffer();
          return response.status;
        }),
      );
      expect(statuses.every((status) => status === 204 || status === 200)).toBe(true);
      const data = (await whoAmI(A, cookie, ip)).session?.data ?? {};
      expect(Object.keys(data).filter((key) => key.startsWith("key"))).toHaveLength(50);
    });

    test("the failed-login limit counts across both servers", async () => {
      const target = await register(A);
      const ip = uniqueClientIp();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await send(i % 2 === 0 ? A : B, "POST", "/api/auth/login", {
          ip,
          body: { email: target.email, password: `wrong guess ${i}` },
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    });

    test("a password change on A ends the user's sessions on B", async ({ page, context }) => {
      const owner = await register(A);
      const ip = uniqueClientIp();
      const onB = await logIn(B, owner, ip);
      expect((await whoAmI(B, onB, ip)).authenticated).toBe(true); // B now holds the session in its cache
      await useCookie(context, A, await logIn(A, owner, ip));
      await changePasswordOn(page, A, owner.password, "a brand new passphrase");
      expect((await whoAmI(B, onB, ip)).authenticated).toBe(false);
    });

    test("deleting the account on B ends its sessions on A, whose user cache forgets it", async ({ page, context }) => {
      const owner = await register(A);
      const ip = uniqueClientIp();
      const onA = await logIn(A, owner, ip);
      expect((await whoAmI(A, onA, ip)).authenticated).toBe(true); // A now holds the session and the user
      await useCookie(context, B, await logIn(B, owner, ip));
      await page.goto(`${B}/account`);
      await page.getByLabel("Password", { exact: true }).fill(owner.password);
      await page.getByRole("button", { name: "Delete account" }).click();
      await expect(page).toHaveURL(/\/\?deleted=1$/);
      expect((await whoAmI(A, onA, ip)).authenticated).toBe(false);
      const again = await send(A, "POST", "/api/auth/login", { ip, body: owner });
      expect(again.status).toBe(401);
    });

    test("npm run sessions:clear runs as a third process while both servers serve", async () => {
      const ip = uniqueClientIp();
      const cookie = await logIn(A, user, ip);
      await seedExpiredSessions(databaseUrl, 2000);
      const clearing = new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/clear-sessions.ts"], {
          env: childEnv({
            DATABASE_URL: databaseUrl,
            SESSION_SECRET: E2E_SESSION_SECRET,
            SESSION_ENGINE: deployment.engine,
          }),
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("close", (code) => resolve({ code, output }));
      });
      let done = false;
      void clearing.then(() => (done = true));
      const answers: boolean[] = [];
      for (let i = 0; !done || i < 10; i++) {
        answers.push((await whoAmI(i % 2 === 0 ? A : B, cookie, ip)).authenticated);
      }
      const { code, output } = await clearing;
      expect(code, output).toBe(0);
      const removed = Number(/Removed (\d+) expired sessions? from the Session table/.exec(output)?.[1]);
      expect(removed, output).toBeGreaterThanOrEqual(2000);
      expect(output).toContain(deployment.database === "sqlite" ? "(SQLite)" : "(PostgreSQL)");
      expect(answers.every(Boolean)).toBe(true);
    });
  });
}
