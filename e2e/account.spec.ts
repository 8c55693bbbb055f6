import type { BrowserContext, Page } from "@playwright/test";
import { COOKIE_NAME, expect, logInDirectly, test } from "./fixtures";
import { spaceAboveField } from "./layout";

async function openDashboard(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto("/dashboard");
  return page;
}

async function changePassword(page: Page, current: string, next: string, confirm = next): Promise<void> {
  await page.getByLabel("Current password", { exact: true }).fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("Confirm new password", { exact: true }).fill(confirm);
  await page.getByRole("button", { name: "Change password" }).click();
}

test.describe("account", () => {
  test.beforeEach(async ({ page, loggedInUser: _user }) => {
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  });

  test("changing the password keeps this browser logged in and logs the others out", async ({
    page,
    context,
    browser,
    loggedInUser,
  }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);
    const cookieBefore = (await context.cookies()).find((c) => c.name === COOKIE_NAME)?.value;

    // Under the default engine the page promises what happens below, and names Django's call.
    const card = page.getByRole("region", { name: "Change password" });
    await expect(card).toContainText("logs out every other session");
    await expect(card).not.toContainText("SESSION_ENGINE=cookie");
    await expect(card.getByRole("button", { name: "Change password" })).toHaveAccessibleDescription(
      "Django (Python): update_session_auth_hash(request, user) # calls cycle_key()",
    );

    await changePassword(page, loggedInUser.password, "a brand new passphrase");
    await expect(
      page.getByRole("status").filter({ hasText: "Password changed. Your other sessions have been logged out." }),
    ).toBeVisible();
    // This session got a new key.
    const cookieAfter = (await context.cookies()).find((c) => c.name === COOKIE_NAME)?.value;
    expect(cookieAfter).toBeDefined();
    expect(cookieAfter).not.toBe(cookieBefore);

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();

    const otherPage = await openDashboard(other);
    await expect(otherPage).toHaveURL(/\/login\?next=(%2F|\/)dashboard/);
    await expect(otherPage.getByRole("heading", { name: "Log in" })).toBeVisible();
    await expect(otherPage.getByText("Your password was changed")).toBeVisible();
    await other.close();
  });

  test("a wrong current password is an error on that field, and changes nothing", async ({
    page,
    browser,
    loggedInUser,
  }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);

    await changePassword(page, "not my password", "a brand new passphrase");
    const current = page.getByLabel("Current password", { exact: true });
    await expect(current).toHaveAccessibleDescription("That is not your current password.");
    await expect(current).toHaveAttribute("aria-invalid", "true");

    // The other browser is still logged in.
    const otherPage = await openDashboard(other);
    await expect(otherPage).toHaveURL(/\/dashboard$/);
    await other.close();
  });

  test("mismatched new passwords are refused next to the confirmation", async ({ page, loggedInUser }) => {
    await changePassword(page, loggedInUser.password, "a brand new passphrase", "a different passphrase");
    await expect(page.getByLabel("Confirm new password", { exact: true })).toHaveAccessibleDescription(/do not match/);
  });

  test("deleting the account with the right password lands on the home page, logged out", async ({
    page,
    loggedInUser,
  }) => {
    await expect(page.getByText("It cannot be undone.")).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(loggedInUser.password);
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page).toHaveURL(/\/\?deleted=1$/);

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?next=(%2F|\/)dashboard/);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  });

  test("each card's form follows its introduction with no blank line above the first field", async ({ page }) => {
    const deleteCard = page.getByRole("region", { name: "Delete account" });
    const changeCard = page.getByRole("region", { name: "Change password" });
    // One step of the form's rhythm (the 16 px between fields), not two.
    expect(await spaceAboveField(deleteCard.getByLabel("Password", { exact: true }))).toBeLessThanOrEqual(17);
    expect(await spaceAboveField(changeCard.getByLabel("Current password", { exact: true }))).toBeLessThanOrEqual(17);
  });

  test("deleting the account with a wrong password keeps it", async ({ page }) => {
    await page.getByLabel("Password", { exact: true }).fill("not my password");
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(
      "That is not your current password.",
    );
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  });
});

test("the account page requires a login", async ({ page }) => {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)account$/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
});
