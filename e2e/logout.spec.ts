import { expect, test } from "./fixtures";

test("log out, and /dashboard then redirects to the login page", async ({ page, loggedInUser }) => {
  await page.goto("/dashboard");
  await expect(page.getByRole("main").getByText(loggedInUser.email)).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login\?reason=logged_out/);
  await expect(page.getByText("You have logged out")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)dashboard$/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
});
