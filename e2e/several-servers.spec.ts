import { spawn } from "node:child_process";
import path from "node:path";
import type { Page } from "@playwright/test";
import { childEnv } from "../lib/config/tooling.mjs";
import { BASE_URL, E2E_DATABASE_URL, E2E_PORT, E2E_SESSION_SECRET } from "./env";
import { COOKIE_NAME, expect, logInDirectly, test, uniqueClientIp, type TestUser } from "./fixtures";
import { startSecondServer, type SecondServer } from "./second-server";

// Two production servers on one SQLite file, each with its own in-process session cache, as an
// operator runs `npm run serve` twice on one machine: A is the main test server, B a second one.
// Whatever ends a session through one server must be refused by the other on its next request.
const PORT_B = E2E_PORT + 5;
const A = BASE_URL;
const B = `http://localhost:${PORT_B}`;
let serverB: SecondServer | undefined;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  serverB = await startSecondServer(PORT_B, { TRUST_PROXY: "1" });
});

test.afterAll(() => {
  serverB?.stop();
});

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

async function logIn(origin: string, user: TestUser, ip: string): Promise<string> {
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

test("a logout through B is refused by A on its very next request", async ({ user }) => {
  const ip = uniqueClientIp();
  const cookie = await logIn(A, user, ip);
  expect((await whoAmI(A, cookie, ip)).authenticated).toBe(true); // A now holds the session in its cache
  expect((await send(B, "POST", "/api/auth/logout", { cookie, ip, body: {} })).status).toBe(204);
  expect((await whoAmI(A, cookie, ip)).authenticated).toBe(false);
});

test("a revocation through B ends the session on A", async ({ user }) => {
  const ip = uniqueClientIp();
  const onA = await logIn(A, user, ip);
  const onB = await logIn(B, user, ip);
  expect((await whoAmI(A, onA, ip)).authenticated).toBe(true);
  const listed = (await (await send(B, "GET", "/api/sessions", { cookie: onB, ip })).json()) as {
    sessions: { id: string; current: boolean }[];
  };
  const other = listed.sessions.find((session) => !session.current);
  expect(other).toBeDefined();
  expect((await send(B, "DELETE", `/api/sessions/${other?.id}`, { cookie: onB, ip })).status).toBe(204);
  expect((await whoAmI(A, onA, ip)).authenticated).toBe(false);
  expect((await whoAmI(B, onB, ip)).authenticated).toBe(true);
});

test("50 parallel writes of different keys, alternating A and B, all survive and A reads every one", async ({
  user,
}) => {
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

test("the failed-login limit counts across both servers", async ({ user }) => {
  const ip = uniqueClientIp();
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const response = await send(i % 2 === 0 ? A : B, "POST", "/api/auth/login", {
      ip,
      body: { email: user.email, password: `wrong guess ${i}` },
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
});

async function changePasswordOn(page: Page, current: string, next: string): Promise<void> {
  await page.goto("/account");
  await page.getByLabel("Current password", { exact: true }).fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("Confirm new password", { exact: true }).fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();
}

test("a password change on A ends the user's sessions on B", async ({ page, context, user }) => {
  const ip = uniqueClientIp();
  const onB = await logIn(B, user, ip);
  expect((await whoAmI(B, onB, ip)).authenticated).toBe(true); // B now holds the session in its cache
  await logInDirectly(context, user);
  await changePasswordOn(page, user.password, "a brand new passphrase");
  expect((await whoAmI(B, onB, ip)).authenticated).toBe(false);
});

test("npm run sessions:clear runs as a third process while both servers serve", async ({ user }) => {
  const ip = uniqueClientIp();
  const cookie = await logIn(A, user, ip);
  const clearing = new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/clear-sessions.ts"], {
      env: childEnv({ DATABASE_URL: E2E_DATABASE_URL, SESSION_SECRET: E2E_SESSION_SECRET }),
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
  expect(output).toMatch(/Removed \d+ expired sessions? from the Session table/);
  expect(answers.every(Boolean)).toBe(true);
});
