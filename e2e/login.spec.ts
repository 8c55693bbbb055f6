import { expect, test } from "./fixtures";

test.describe("login form", () => {
  test("logs in and honours a same-site ?next=", async ({ page, user }) => {
    await page.goto("/login?next=/dashboard%3Ftab%3D1");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard\?tab=1$/);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  });

  test("an off-site ?next= falls back to the dashboard", async ({ page, user }) => {
    await page.goto("/login?next=//evil.example/steal");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/localhost:\d+\/dashboard$/);
  });

  test("a wrong password and an unknown email get the same generic error", async ({ page, user }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    const wrongPassword = page.getByRole("status").filter({ hasText: "do not match" });
    await expect(wrongPassword).toBeVisible();
    const first = await wrongPassword.innerText();
    await expect(page.getByLabel("Email")).toHaveValue(user.email);

    await page.getByLabel("Email").fill("nobody-here@example.test");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByLabel("Email")).toHaveValue("nobody-here@example.test");
    await expect(page.getByRole("status").filter({ hasText: "do not match" })).toHaveText(first);
    await expect(page).toHaveURL(/\/login/);
  });

  test("the anonymous visit counter survives logging in", async ({ page, context, user }) => {
    await page.goto("/");
    await expect(page.getByTestId("visit-count")).toHaveText("1");
    await page.reload();
    await expect(page.getByTestId("visit-count")).toHaveText("2");
    const anonymousCookie = (await context.cookies()).find((c) => c.name.includes("sesame_session"));
    expect(anonymousCookie).toBeDefined();

    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    // The key rotated at login, and the data came along.
    const loggedInCookie = (await context.cookies()).find((c) => c.name.includes("sesame_session"));
    expect(loggedInCookie?.value).not.toBe(anonymousCookie?.value);
    await expect(page.getByRole("table", { name: "Session contents" }).getByRole("row", { name: /visits/ })).toContainText("2");

    await page.goto("/");
    await expect(page.getByTestId("visit-count")).toHaveText("3");
  });
});
