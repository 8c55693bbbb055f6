import path from "node:path";
import type { Page } from "@playwright/test";
import { BASE_URL } from "../../e2e/env";
import { createUser, expect, makeSuperuser, test, type TestUser } from "../../e2e/fixtures";

/**
 * The README's screenshots, 1280 pixels wide. Run with `npm run screenshots`, which uses
 * playwright.screenshots.config.ts; `npm test` does not run this file.
 *
 * The account logs in through the form here (unlike the tests) so the session row holds this
 * browser's own user agent and address, as a visitor's would.
 */

const OUT = path.join(import.meta.dirname, "..", "..", "docs", "screenshots");
const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

/** The whole page, or only its top `height` pixels, to keep the file small. */
async function shoot(page: Page, name: string, height?: number): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  await page.screenshot({
    path: path.join(OUT, `${name}.png`),
    fullPage: true,
    animations: "disabled",
    caret: "hide",
    ...(height ? { clip: { x: 0, y: 0, width: page.viewportSize()?.width ?? 1280, height } } : {}),
  });
}

const PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

async function logIn(page: Page, user: TestUser): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test.describe.configure({ mode: "serial" });

test("home page", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("visit-count")).toHaveText("1");
  await shoot(page, "home");
});

test("dashboard, sessions and walkthrough", async ({ page, browser, user }) => {
  // Two visits before logging in: the counter survives the login.
  await page.goto("/");
  await expect(page.getByTestId("visit-count")).toHaveText("1");
  await page.goto("/");
  await expect(page.getByTestId("visit-count")).toHaveText("2");
  await logIn(page, user);

  for (const [key, value] of Object.entries({ cart: [3, 14], theme: "dark" })) {
    const response = await page.request.put(`/api/session/keys/${key}`, { headers: JSON_HEADERS, data: { value } });
    expect(response.ok()).toBe(true);
  }
  await page.goto("/dashboard");
  await page.getByLabel("Key", { exact: true }).fill("greeting");
  await page.getByLabel("Value", { exact: true }).fill('"hello"');
  await page.getByRole("button", { name: "Set", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Set "greeting".' })).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Session contents" }).getByRole("row", { name: /greeting/ }),
  ).toBeVisible();
  await expect(page.getByRole("timer", { name: "Idle expiry" })).toBeVisible();
  await shoot(page, "dashboard");

  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.getByRole("timer", { name: "Idle expiry" })).toBeVisible();
  // Dark mode: the inspector and the countdowns are enough.
  const inspectorBottom = await page
    .getByRole("region", { name: "When this session ends" })
    .evaluate((element) => element.getBoundingClientRect().bottom + window.scrollY);
  await shoot(page, "dashboard-dark", Math.ceil(inspectorBottom) + 24);
  await page.emulateMedia({ colorScheme: "light" });

  // A second device, so the sessions page has one to revoke.
  const phone = await browser.newContext({
    userAgent: PHONE,
    extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.24" },
  });
  await logIn(await phone.newPage(), user);
  await phone.close();

  await page.goto("/sessions");
  await expect(page.getByRole("list", { name: "Your sessions" }).getByRole("listitem")).toHaveCount(2);
  await shoot(page, "sessions");

  await page.goto("/how-it-works");
  await expect(page.getByRole("heading", { level: 1, name: "How a session works" })).toBeVisible();
  await shoot(page, "how-it-works");
});

test("race lab", async ({ page }) => {
  await page.goto("/lab/race");
  await page.getByRole("button", { name: "Run the race" }).click();
  await expect(page.getByRole("status", { name: "Race result" })).toContainText("20 of 20 writes survived.");
  await expect(page.getByRole("table", { name: /^Timeline of the writes/ })).toBeVisible();
  await shoot(page, "race-lab");
});

test("sessions admin", async ({ page, browser }) => {
  const admin = await createUser();
  await makeSuperuser(admin);
  await logIn(page, admin);
  // Other people's sessions: two devices of one user, a second user, and an anonymous visitor's cart.
  const visitors = [
    { agent: PHONE, ip: "203.0.113.24", logIn: true, data: { theme: "dark" } },
    { agent: FIREFOX, ip: "198.51.100.7", logIn: true, data: { cart: [3, 14], coupon: "SPRING" } },
    { agent: FIREFOX, ip: "192.0.2.55", logIn: false, data: { cart: [42] } },
  ];
  const someone = await createUser();
  for (const visitor of visitors) {
    const context = await browser.newContext({
      userAgent: visitor.agent,
      extraHTTPHeaders: { "X-Forwarded-For": visitor.ip },
    });
    const visitorPage = await context.newPage();
    if (visitor.logIn) await logIn(visitorPage, someone);
    for (const [key, value] of Object.entries(visitor.data)) {
      const response = await visitorPage.request.put(`/api/session/keys/${key}`, {
        headers: JSON_HEADERS,
        data: { value },
      });
      expect(response.ok()).toBe(true);
    }
    await context.close();
  }
  await page.goto("/admin/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(page.getByRole("button", { name: "End session" }).first()).toBeVisible();
  await shoot(page, "admin-sessions");
});
