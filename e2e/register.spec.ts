import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

const freshEmail = (): string => `new-${randomBytes(6).toString("hex")}@example.test`;

test.describe("registration", () => {
  test("registering logs in and the dashboard shows the email", async ({ page }) => {
    const email = freshEmail();
    await page.goto("/register");
    await page.getByLabel("Email").fill(`  ${email.toUpperCase()} `);
    await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
    await page.getByLabel("Confirm password").fill("a long enough passphrase");
    await expect(page.getByRole("button", { name: "Create account" })).toHaveAccessibleDescription(
      "Django (Python): login(request, user) # after create_user(); calls cycle_key()",
    );
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    await expect(page.getByRole("main").getByText(email, { exact: true })).toBeVisible();
    await expect(page.getByRole("banner").getByText(email)).toBeVisible();
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  });

  test("a duplicate email is refused and the typed email is kept", async ({ page, user }) => {
    await page.goto("/register");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill("another passphrase");
    await page.getByLabel("Confirm password").fill("another passphrase");
    await page.getByRole("button", { name: "Create account" }).click();

    const email = page.getByLabel("Email");
    await expect(email).toHaveAccessibleDescription(/already exists/);
    await expect(email).toHaveValue(user.email);
    // Said once, next to the field; the live region announces that a field needs attention.
    await expect(page.getByText(/already exists/)).toHaveCount(1);
    await expect(page.getByRole("status").filter({ hasText: "Please fix the highlighted field." })).toBeVisible();
    await expect(page).toHaveURL(/\/register/);

    await page.getByRole("link", { name: "Log in instead?" }).click();
    await expect(page).toHaveURL(/\/login(\?next=%2Fdashboard)?$/);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  });

  test("validation errors are shown next to their fields", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Confirm password").fill("different");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/valid email/);
    await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
    await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(/at least 8 characters/);
    await expect(page.getByLabel("Confirm password")).toHaveAccessibleDescription(/do not match/);
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  });

  test("a password over 72 bytes is refused, not truncated", async ({ page }) => {
    const long = "é".repeat(37); // 37 characters, 74 bytes
    await page.goto("/register");
    await page.getByLabel("Email").fill(freshEmail());
    await page.getByLabel("Password", { exact: true }).fill(long);
    await page.getByLabel("Confirm password").fill(long);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(/at most 72 bytes/);
    await expect(page).toHaveURL(/\/register/);
  });
});
