import { randomBytes } from "node:crypto";
import { E2E_PORT } from "./env";
import { expect, test, uniqueClientIp } from "./fixtures";
import { useSecondServer } from "./second-server";

// The stolen-cookie lab under the default engine (the normal test server, db) and under
// SESSION_ENGINE=cookie: a second server on the same build and database, as untrusted-proxy.spec.ts does.
const COOKIE_ORIGIN = useSecondServer(E2E_PORT + 2, { TRUST_PROXY: "1", SESSION_ENGINE: "cookie" });

test("the lab needs a logged-in session", async ({ page }) => {
  await page.goto("/lab/stolen-cookie");
  await expect(page.getByRole("heading", { level: 1, name: "Stolen-cookie lab" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy my cookie, log out, replay it" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Log in" }).first()).toBeVisible();
});

test("under db, a cookie copied before logout is refused: the row is gone", async ({ page, loggedInUser }) => {
  await page.goto("/lab/stolen-cookie");
  await expect(page.getByText("SESSION_ENGINE=db")).toBeVisible();
  await page.getByRole("button", { name: "Copy my cookie, log out, replay it" }).click();
  await expect(page.getByRole("status", { name: "Lab result" }).getByText(/^Refused: the row is gone\./)).toBeVisible();
  // The lab really logged this browser out.
  await expect(page.getByRole("banner").getByText(loggedInUser.email)).toHaveCount(0);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
});

test("the lab says plainly why the copy is refused, and sizes the cookie as the dashboard does", async ({
  page,
  loggedInUser: _user,
}) => {
  await page.goto("/dashboard");
  const size = page
    .getByRole("region", { name: "In your browser" })
    .getByRole("term")
    .filter({ hasText: /^Size$/ })
    .locator("xpath=following-sibling::dd[1]");
  const bytes = /(\d+) bytes/.exec((await size.textContent()) ?? "")?.[1];
  expect(bytes).toBeDefined();

  await page.goto("/lab/stolen-cookie");
  await page.getByRole("button", { name: "Copy my cookie, log out, replay it" }).click();
  const result = page.getByRole("status", { name: "Lab result" });
  await expect(result).toContainText("Refused");
  await expect(result).toContainText(`(${bytes} bytes`);
  await expect(result).toContainText("no session on the server has this cookie's token any more");
  await expect(result).not.toContainText("unknown");
});

test("under cookie, the copy still works until it expires", async ({ page }) => {
  const email = `lab-${randomBytes(6).toString("hex")}@example.test`;
  const registered = await page.request.post(`${COOKIE_ORIGIN}/api/auth/register`, {
    headers: { Origin: COOKIE_ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": uniqueClientIp() },
    data: { email, password: "a perfectly fine passphrase" },
  });
  expect(registered.status()).toBe(201);

  await page.goto(`${COOKIE_ORIGIN}/lab/stolen-cookie`);
  await expect(page.getByText("SESSION_ENGINE=cookie")).toBeVisible();
  await page.getByRole("button", { name: "Copy my cookie, log out, replay it" }).click();
  await expect(
    page
      .getByRole("status", { name: "Lab result" })
      .getByText(/^Still works until it expires: the copied cookie opens a session logged in as/),
  ).toBeVisible();
  await expect(page.getByRole("status", { name: "Lab result" })).toContainText(email);
  // This browser is logged out all the same: only the copy still works.
  await page.goto(`${COOKIE_ORIGIN}/dashboard`);
  await expect(page).toHaveURL(/\/login/);
});
