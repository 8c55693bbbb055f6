import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { BASE_URL } from "./env";
import { expect, test } from "./fixtures";

/**
 * axe-core over every page, logged out and logged in, in light and dark colour schemes.
 * Any violation fails the test, with axe's own summary of what and where.
 */

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };
const SCHEMES = ["light", "dark"] as const;

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
  }));
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

/** Waits for what a page renders after hydration, so axe sees the page as a visitor does. */
async function settle(page: Page, path: string): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  if (path === "/") await expect(page.getByTestId("visit-count")).toBeVisible();
  if (path === "/dashboard") await expect(page.getByRole("timer", { name: "Idle expiry" })).toBeVisible();
}

for (const scheme of SCHEMES) {
  test.describe(`${scheme} colour scheme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });

    for (const path of ["/", "/login", "/register", "/how-it-works", "/lab/race"]) {
      test(`logged out: ${path} has no axe violations`, async ({ page }) => {
        await page.goto(path);
        await settle(page, path);
        await expectNoViolations(page, `${path} (logged out, ${scheme})`);
      });
    }

    for (const path of [
      "/",
      "/dashboard",
      "/sessions",
      "/account",
      "/confirm-password",
      "/how-it-works",
      "/lab/race",
    ]) {
      test(`logged in: ${path} has no axe violations`, async ({ page, loggedInUser: _user }) => {
        // A couple of keys, so the contents table and the inspector have something to show.
        for (const [key, value] of Object.entries({ cart: [1, 2], theme: "dark" })) {
          const response = await page.request.put(`/api/session/keys/${key}`, {
            headers: JSON_HEADERS,
            data: { value },
          });
          expect(response.ok()).toBe(true);
        }
        await page.goto(path);
        await settle(page, path);
        await expectNoViolations(page, `${path} (logged in, ${scheme})`);
      });
    }

    test("logged out: /register after a duplicate email has no axe violations", async ({ page, user }) => {
      await page.goto("/register");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password", { exact: true }).fill("another passphrase");
      await page.getByLabel("Confirm password").fill("another passphrase");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByRole("link", { name: "Log in instead?" })).toBeVisible();
      await expectNoViolations(page, `/register with a duplicate email (${scheme})`);
    });

    test("logged out: /lab/race after a race has no axe violations", async ({ page }) => {
      await page.goto("/lab/race");
      await page.getByLabel("Parallel writes").fill("5");
      await page.getByRole("button", { name: "Run the race" }).click();
      await expect(page.getByRole("status", { name: "Race result" })).toContainText("5 of 5 writes survived.");
      await expect(page.getByRole("table", { name: /^Timeline of the writes/ })).toBeVisible();
      await expectNoViolations(page, `/lab/race after a race (${scheme})`);
    });

    test("logged out: /lab/race with a bad number of writes has no axe violations", async ({ page }) => {
      await page.goto("/lab/race");
      await page.getByLabel("Parallel writes").fill("500");
      await page.getByRole("button", { name: "Run the race" }).click();
      await expect(page.getByText(/500 is out of range/)).toBeVisible();
      await expectNoViolations(page, `/lab/race with a bad number (${scheme})`);
    });

    test("superuser: /admin/sessions and a session's page have no axe violations", async ({
      page,
      loggedInSuperuser: _admin,
    }) => {
      const stored = await page.request.put("/api/session/keys/cart", { headers: JSON_HEADERS, data: { value: [1] } });
      expect(stored.ok()).toBe(true);
      await page.goto("/admin/sessions");
      await settle(page, "/admin/sessions");
      await expect(page.getByRole("table")).toBeVisible();
      await expectNoViolations(page, `/admin/sessions (${scheme})`);
      await page
        .getByRole("link", { name: /^View session/ })
        .first()
        .click();
      await expect(page.getByRole("heading", { name: "Decoded data" })).toBeVisible();
      await expectNoViolations(page, `/admin/sessions/[id] (${scheme})`);
    });

    test("logged in: /confirm-password after a wrong password has no axe violations", async ({
      page,
      loggedInUser: _user,
    }) => {
      await page.goto("/confirm-password?next=%2Faccount");
      await page.getByLabel("Password", { exact: true }).fill("not my password");
      await page.getByRole("button", { name: "Confirm password" }).click();
      await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
      await expectNoViolations(page, `/confirm-password after a wrong password (${scheme})`);
    });

    test("logged in: the dashboard after a KeyError has no axe violations", async ({ page, loggedInUser: _user }) => {
      await page.goto("/dashboard");
      await page.getByLabel("Key", { exact: true }).fill("ghost");
      await page.getByRole("button", { name: "Delete", exact: true }).click();
      await expect(page.getByRole("status").filter({ hasText: 'KeyError: "ghost"' })).toBeVisible();
      await expectNoViolations(page, `/dashboard with a KeyError (${scheme})`);
    });
  });
}
