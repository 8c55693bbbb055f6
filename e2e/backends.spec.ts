import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { E2E_PORT } from "./env";
import { COOKIE_NAME, expect, findUserByEmail, makeSuperuser, test, uniqueClientIp } from "./fixtures";
import { useSecondServer } from "./second-server";

// /backends under the normal test server (db), and the cookie engine's answers on a server of its
// own (E2E_PORT + 3; lab.spec.ts uses + 2), on the same build and database.
const ORIGIN = useSecondServer(E2E_PORT + 3, { TRUST_PROXY: "1", SESSION_ENGINE: "cookie" });

const JSON_HEADERS = { Origin: ORIGIN, "Content-Type": "application/json" };

async function register(request: APIRequestContext): Promise<string> {
  const email = `backends-${randomBytes(6).toString("hex")}@example.test`;
  const response = await request.post(`${ORIGIN}/api/auth/register`, {
    headers: { ...JSON_HEADERS, "X-Forwarded-For": uniqueClientIp() },
    data: { email, password: "a perfectly fine passphrase" },
  });
  expect(response.status()).toBe(201);
  return email;
}

test("the Backends page compares the five engines and marks db as in use", async ({ page, loggedInUser: _user }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Backends" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Session backends" })).toBeVisible();
  const table = page.getByRole("table", { name: /What each SESSION_ENGINE keeps where/ });
  await expect(table.getByRole("columnheader")).toHaveText([
    "Engine",
    "Where the data lives",
    "Survives a server restart",
    "Can be revoked",
    "Size limit",
    "Shared across app servers",
  ]);
  await expect(table.getByRole("rowheader")).toHaveCount(5);
  for (const engine of ["db", "cached_db", "cache", "file", "cookie"]) {
    await expect(table.getByRole("rowheader", { name: new RegExp(`^${engine}\\b`) })).toBeVisible();
  }
  await expect(table.getByRole("row", { name: /^db in use/ })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("region", { name: "What the server holds" })).toContainText("a row in the Session table");
  await expect(page.getByRole("region", { name: "What your browser holds" })).toContainText(COOKIE_NAME);
  await expect(page.getByRole("region", { name: "What your browser holds" })).toContainText(/\d+ bytes of 4096/);
});

test("under the cookie engine the page says the server holds nothing", async ({ page }) => {
  await register(page.request);
  await page.goto(`${ORIGIN}/backends`);
  await expect(page.getByRole("row", { name: /^cookie in use/ })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("region", { name: "What the server holds" })).toContainText(
    "Nothing: it is all in the cookie.",
  );
});

test("under the cookie engine, sessions are listed as the current one only, and explained", async ({ page }) => {
  await register(page.request);
  const listed = await page.request.get(`${ORIGIN}/api/sessions`);
  expect(listed.status()).toBe(200);
  const body = (await listed.json()) as { sessions: { current: boolean }[]; revocable: boolean; note: string };
  expect(body.revocable).toBe(false);
  expect(body.sessions).toHaveLength(1);
  expect(body.sessions[0]?.current).toBe(true);
  expect(body.note).toContain("cannot list your other sessions or revoke any of them");

  const revoke = await page.request.delete(`${ORIGIN}/api/sessions/someone-elses-id`, { headers: { Origin: ORIGIN } });
  expect(revoke.status()).toBe(501);
  expect(((await revoke.json()) as { error: string }).error).toBe("NotRevocable");

  await page.goto(`${ORIGIN}/sessions`);
  await expect(page.getByRole("heading", { name: "Why there is no list" })).toBeVisible();
  await expect(
    page.getByText(/SESSION_ENGINE=cookie: each session lives only in its own browser's cookie/),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out everywhere" })).toHaveCount(0);
});

test("under the cookie engine, the sessions admin says sessions in browsers cannot be listed, and does not fail", async ({
  page,
}) => {
  const superuser = await findUserByEmail(await register(page.request));
  await makeSuperuser(superuser as NonNullable<typeof superuser>);

  const listed = await page.request.get(`${ORIGIN}/api/admin/sessions?page=1`);
  expect(listed.status()).toBe(200);
  expect(await listed.json()).toMatchObject({ sessions: [], total: 0, page: 1, listable: false });
  const ended = await page.request.delete(`${ORIGIN}/api/admin/sessions/someone-elses-id`, {
    headers: { Origin: ORIGIN },
  });
  expect(ended.status()).toBe(501);
  expect(await ended.json()).toMatchObject({ error: "NotListable", listable: false });

  await page.goto(`${ORIGIN}/admin/sessions`);
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sessions in browsers cannot be listed" })).toBeVisible();
  await expect(page.getByText(/This server runs SESSION_ENGINE=cookie\./)).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("under the cookie engine, a session that would not fit in 4096 bytes is refused with a clear 413", async ({
  page,
}) => {
  await register(page.request);
  const fits = await page.request.put(`${ORIGIN}/api/session/keys/note`, {
    headers: JSON_HEADERS,
    data: { value: "x".repeat(500) },
  });
  expect(fits.status()).toBe(200);
  const tooBig = await page.request.put(`${ORIGIN}/api/session/keys/big`, {
    headers: JSON_HEADERS,
    data: { value: "x".repeat(5000) },
  });
  expect(tooBig.status()).toBe(413);
  const error = (await tooBig.json()) as { error: string; message: string };
  expect(error.error).toBe("SessionTooLarge");
  expect(error.message).toMatch(/at most 4096 bytes per cookie/);
  // Nothing changed: the stored note is still there, the big value is not.
  const session = (await (await page.request.get(`${ORIGIN}/api/session`)).json()) as {
    session: { data: Record<string, unknown> };
  };
  expect(Object.keys(session.session.data)).toEqual(["note"]);
  const cookie = (await page.context().cookies(ORIGIN)).find((c) => c.name === COOKIE_NAME);
  expect(Buffer.byteLength(`${COOKIE_NAME}=${cookie?.value ?? ""}`)).toBeLessThanOrEqual(4096);
});

test("under the cookie engine, /account says a password change cannot end other sessions, and it does not", async ({
  page,
  browser,
}) => {
  await register(page.request);
  // A second browser with a copy of this session's cookie, as another device would hold its own.
  const other = await browser.newContext();
  await other.addCookies(await page.context().cookies(ORIGIN));

  await page.goto(`${ORIGIN}/account`);
  const card = page.getByRole("region", { name: "Change password" });
  await expect(card).toContainText("It will not log out your other sessions.");
  await expect(card).toContainText("This server runs SESSION_ENGINE=cookie");
  await expect(card).not.toContainText("logs out every other session");
  await expect(card.getByRole("link", { name: "Session backends" })).toHaveAttribute("href", "/backends");
  // Screen readers hear the caveat with the button, before the Django line.
  const button = card.getByRole("button", { name: "Change password" });
  await expect(button).toHaveAccessibleDescription(
    /^It will not log out your other sessions\..*update_session_auth_hash\(request, user\)/,
  );

  await card.getByLabel("Current password", { exact: true }).fill("a perfectly fine passphrase");
  await card.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await card.getByLabel("Confirm new password", { exact: true }).fill("a brand new passphrase");
  await button.click();
  await expect(card.getByRole("status")).toHaveText(
    "Password changed. Your other sessions are still logged in: under SESSION_ENGINE=cookie the server cannot end them.",
  );

  // As the page said: the other browser is still logged in, and so is this one.
  const otherPage = await other.newPage();
  await otherPage.goto(`${ORIGIN}/dashboard`);
  await expect(otherPage).toHaveURL(`${ORIGIN}/dashboard`);
  await expect(otherPage.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.goto(`${ORIGIN}/dashboard`);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await other.close();
});

test("under the cookie engine, deleting the account logs out the other browsers too", async ({ page, browser }) => {
  await register(page.request);
  const other = await browser.newContext();
  await other.addCookies(await page.context().cookies(ORIGIN));
  const otherPage = await other.newPage();
  await otherPage.goto(`${ORIGIN}/dashboard`);
  await expect(otherPage.getByRole("heading", { name: "Dashboard" })).toBeVisible();

  await page.goto(`${ORIGIN}/account`);
  const card = page.getByRole("region", { name: "Delete account" });
  await card.getByLabel("Password", { exact: true }).fill("a perfectly fine passphrase");
  await card.getByRole("button", { name: "Delete account" }).click();
  await expect(page).toHaveURL(`${ORIGIN}/?deleted=1`);

  // Its cookie still carries the whole session, but the user it names is gone.
  await otherPage.goto(`${ORIGIN}/dashboard`);
  await expect(otherPage).toHaveURL(/\/login\?next=%2Fdashboard|\/login\?next=\/dashboard/);
  await other.close();
});

test("under the cookie engine, the logout notice says a copied cookie would still open the session", async ({
  page,
}) => {
  await register(page.request);
  await page.goto(`${ORIGIN}/dashboard`);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(`${ORIGIN}/login?reason=logged_out`);
  await expect(
    page.getByText(/this browser's cookie is cleared\. Under SESSION_ENGINE=cookie the server keeps no row/),
  ).toBeVisible();
  await expect(page.getByText("is deleted, so the old cookie opens nothing")).toHaveCount(0);
});
