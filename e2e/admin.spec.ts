import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import type { AdminSessionRow } from "../lib/auth/admin-sessions";
import { childEnv } from "../lib/config/tooling.mjs";
import { BASE_URL, E2E_BCRYPT_COST, E2E_DATABASE_URL, E2E_SESSION_SECRET } from "./env";
import {
  createUser,
  expect,
  findUserByEmail,
  logInDirectly,
  makeSuperuser,
  test,
  uniqueClientIp,
  type TestUser,
} from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };
const ROOT = path.resolve(import.meta.dirname, "..");

/** Another person: a user of their own, logged in in a browser of their own, holding `data`. */
async function anotherUser(
  browser: Browser,
  data: Record<string, unknown> = {},
): Promise<{ user: TestUser; context: BrowserContext }> {
  const user = await createUser();
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueClientIp() } });
  await logInDirectly(context, user);
  for (const [key, value] of Object.entries(data)) {
    const response = await context.request.put(`/api/session/keys/${key}`, { headers: JSON_HEADERS, data: { value } });
    expect(response.ok()).toBe(true);
  }
  return { user, context };
}

async function filterByEmail(page: Page, email: string): Promise<void> {
  await page.goto("/admin/sessions");
  await page.getByRole("searchbox", { name: "Filter by email" }).fill(email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`email=${encodeURIComponent(email).replace(/\./g, "\\.")}`));
}

const sessionRows = (page: Page) =>
  page.getByRole("region", { name: "Live sessions, newest first" }).locator("tbody tr");

test("createsuperuser --no-input makes a superuser, who finds Admin in the header and every session in it", async ({
  context,
  page,
}) => {
  const email = `root-${randomBytes(6).toString("hex")}@example.test`;
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/createsuperuser.ts", "--no-input"], {
    cwd: ROOT,
    encoding: "utf8",
    env: childEnv({
      DATABASE_URL: E2E_DATABASE_URL,
      SESSION_SECRET: E2E_SESSION_SECRET,
      BCRYPT_COST: String(E2E_BCRYPT_COST),
      SUPERUSER_EMAIL: email,
      SUPERUSER_PASSWORD: "a long enough admin passphrase",
    }),
  });
  expect(result.stderr).toBe("");
  expect(result.stdout.trim()).toBe(`Superuser ${email} created successfully.`);
  const superuser = await findUserByEmail(email);
  expect(superuser?.isSuperuser).toBe(true);

  await logInDirectly(context, superuser as NonNullable<typeof superuser>);
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin\/sessions$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(page.getByText(/^\d+ live sessions? in all\.$/)).toBeVisible();
});

test("the admin lists everyone's sessions, filters them by email and shows one's decoded data", async ({
  page,
  browser,
  loggedInSuperuser: _admin,
}) => {
  const other = await anotherUser(browser, { theme: "dark", cart: [3, 4] });
  await page.goto("/admin/sessions");
  await expect(page.getByRole("columnheader")).toHaveText([
    "User and device",
    "Session",
    "Created",
    "Last seen",
    "Expires",
    "Data",
    "Actions",
  ]);
  await expect(sessionRows(page).first()).toBeVisible();

  await filterByEmail(page, other.user.email.slice(0, 14).toUpperCase());
  await expect(page.getByText(/^1 live session of accounts whose email contains/)).toBeVisible();
  const row = sessionRows(page);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(other.user.email);
  const dataBytes = Buffer.byteLength(JSON.stringify({ theme: "dark", cart: [3, 4] }));
  await expect(row.getByRole("cell").nth(5)).toHaveText(`${dataBytes} bytes`);

  await row.getByRole("link", { name: /^View session/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Session …/ })).toBeVisible();
  const decoded = page.getByRole("region", { name: "Decoded data" });
  await expect(decoded).toContainText(".get_decoded()");
  await expect(decoded).toContainText("{'theme': 'dark', 'cart': [3, 4]}");
  await expect(page.getByRole("region", { name: "Session" })).toContainText(other.user.email);

  await filterByEmail(page, `no-such-${randomBytes(4).toString("hex")}@`);
  await expect(page.getByText("No live session belongs to an account with that email.")).toBeVisible();
  await other.context.close();
});

test("ending another user's session logs them out, and their login page says an administrator did it", async ({
  page,
  browser,
  loggedInSuperuser: _admin,
}) => {
  const other = await anotherUser(browser);
  await filterByEmail(page, other.user.email);
  await sessionRows(page).getByRole("button", { name: "End session" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Session …\S+ ended\./ })).toBeVisible();
  await expect(page.getByText("No live session belongs to an account with that email.")).toBeVisible();

  const theirs = await other.context.newPage();
  await theirs.goto("/dashboard");
  await expect(theirs).toHaveURL(/\/login\?next=(%2F|\/)dashboard/);
  await expect(theirs.getByText("An administrator ended your session.")).toBeVisible();
  await other.context.close();
});

test("the JSON API lists, filters and ends sessions, and never shows a token or its hash", async ({
  page,
  browser,
  loggedInSuperuser: _admin,
}) => {
  const other = await anotherUser(browser, { note: "hi" });
  const listed = await page.request.get(`/api/admin/sessions?email=${encodeURIComponent(other.user.email)}&page=1`);
  expect(listed.status()).toBe(200);
  const text = await listed.text();
  const body = JSON.parse(text) as { sessions: AdminSessionRow[]; total: number; page: number };
  expect(body).toMatchObject({ total: 1, page: 1 });
  const [row] = body.sessions;
  expect(Object.keys(row ?? {}).sort()).toEqual(
    ["createdAt", "dataBytes", "expiresAt", "id", "ip", "lastSeenAt", "user", "userAgent"].sort(),
  );
  expect(row).toMatchObject({ user: { id: other.user.id, email: other.user.email }, dataBytes: 13 });
  expect(text).not.toMatch(/tokenHash|[0-9a-f]{64}/);

  const viewed = await page.request.get(`/api/admin/sessions/${row?.id}`);
  expect(await viewed.json()).toMatchObject({ data: { note: "hi" }, live: true });

  const ended = await page.request.delete(`/api/admin/sessions/${row?.id}`, { headers: { Origin: BASE_URL } });
  expect(ended.status()).toBe(204);
  const again = await page.request.delete(`/api/admin/sessions/${row?.id}`, { headers: { Origin: BASE_URL } });
  expect(again.status()).toBe(404);
  expect(await (await other.context.request.get("/api/session")).json()).toMatchObject({ authenticated: false });

  for (const query of ["page=0", "page=abc", `email=${"x".repeat(255)}`]) {
    const refused = await page.request.get(`/api/admin/sessions?${query}`);
    expect(refused.status(), query).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "ValidationError" });
  }
  await other.context.close();
});

test("a user who is not a superuser sees no Admin link, is refused the page, and gets 403 from the API", async ({
  page,
  browser,
  loggedInUser: _user,
}) => {
  const other = await anotherUser(browser);
  await page.goto("/dashboard");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Account" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);

  await page.goto("/admin/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Admin is for superusers" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);

  const listed = await page.request.get("/api/admin/sessions");
  expect(listed.status()).toBe(403);
  expect(await listed.json()).toMatchObject({ error: "Forbidden" });
  const { sessions } = (await (await other.context.request.get("/api/sessions")).json()) as {
    sessions: { id: string }[];
  };
  const ended = await page.request.delete(`/api/admin/sessions/${sessions[0]?.id}`, { headers: { Origin: BASE_URL } });
  expect(ended.status()).toBe(403);
  expect(await (await other.context.request.get("/api/session")).json()).toMatchObject({ authenticated: true });
  await other.context.close();
});

test("a user promoted while logged in is let in at once, and the header's Admin link follows", async ({
  page,
  loggedInUser,
}) => {
  await page.goto("/dashboard");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Account" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);

  await makeSuperuser(loggedInUser);
  await page.goto("/admin/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(nav.getByRole("link", { name: "Admin" })).toBeVisible();
});

test("on a phone-sized screen the table scrolls inside its own region, never the page", async ({
  page,
  browser,
  loggedInSuperuser: _admin,
}) => {
  const other = await anotherUser(browser);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/admin/sessions");
  const region = page.getByRole("region", { name: "Live sessions, newest first" });
  await expect(region.getByRole("button", { name: "End session" }).first()).toBeAttached();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await region.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);

  // The session's own page: its long code lines wrap rather than widen the page.
  await region
    .getByRole("link", { name: /^View session/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Decoded data" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await other.context.close();
});

test("an anonymous client gets 401 from the API, and the page sends it to log in first", async ({ page, request }) => {
  expect((await request.get("/api/admin/sessions")).status()).toBe(401);
  const ended = await request.delete("/api/admin/sessions/some-session-id", { headers: { Origin: BASE_URL } });
  expect(ended.status()).toBe(401);
  expect(await ended.json()).toMatchObject({ error: "Unauthorized" });

  await page.goto("/admin/sessions?email=ann");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fsessions%3Femail%3Dann$/);
});
