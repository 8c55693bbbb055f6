import { COOKIE_NAME, expect, test } from "./fixtures";
import { spaceAboveField } from "./layout";

test.describe("login form", () => {
  test("logs in and honours a same-site ?next=", async ({ page, user }) => {
    await page.goto("/login?next=/dashboard%3Ftab%3D1");
    // The button names its Django equivalent, as the playground's buttons do.
    await expect(page.getByRole("button", { name: "Log in" })).toHaveAccessibleDescription(
      "Django (Python): login(request, user) # calls cycle_key()",
    );
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard\?tab=1$/);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  });

  test("the form starts at the top of its card, with no blank line above the first field", async ({ page }) => {
    await page.goto("/login");
    expect(await spaceAboveField(page.getByLabel("Email"))).toBeLessThanOrEqual(1);
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
    const anonymousCookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
    expect(anonymousCookie).toBeDefined();

    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    // The key rotated at login, and the data came along.
    const loggedInCookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
    expect(loggedInCookie?.value).not.toBe(anonymousCookie?.value);
    await expect(
      page.getByRole("table", { name: "Session contents" }).getByRole("row", { name: /visits/ }),
    ).toContainText("2");

    await page.goto("/");
    await expect(page.getByTestId("visit-count")).toHaveText("3");
  });
});

test.describe("keep me signed in", () => {
  async function logIn(
    page: import("@playwright/test").Page,
    email: string,
    password: string,
    remember: boolean,
  ): Promise<void> {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    if (remember) await page.getByLabel("Keep me signed in").check();
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  }

  test("unchecked, the cookie lasts until the browser closes", async ({ page, context, user }) => {
    await logIn(page, user.email, user.password, false);
    const cookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
    expect(cookie?.expires).toBe(-1);
    await expect(page.getByText("Ends when the browser closes")).toBeVisible();
  });

  test("checked, the cookie expires about 30 days out", async ({ page, context, user }) => {
    await logIn(page, user.email, user.password, true);
    const cookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
    const days = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    await expect(page.getByText("Persistent (has Max-Age)")).toBeVisible();
    await expect(page.getByText("30 days, sliding with activity")).toBeVisible();

    // The cookie's Expires and the idle expiry name the same second, in the inspector and in the browser.
    const idle = await page
      .getByRole("region", { name: "On the server" })
      .getByRole("term")
      .filter({ hasText: /^Idle expiry$/ })
      .locator("xpath=following-sibling::dd[1]")
      .getByRole("time")
      .getAttribute("datetime");
    const idleSecond = Math.floor(Date.parse(idle ?? "") / 1000);
    const expires = await page
      .getByRole("list", { name: "Cookie attributes" })
      .getByRole("code")
      .filter({ hasText: /^Expires=/ })
      .textContent();
    expect(Date.parse((expires ?? "").replace(/^Expires=/, "")) / 1000).toBe(idleSecond);
    expect(Math.abs((cookie?.expires ?? 0) - Date.parse(idle ?? "") / 1000)).toBeLessThanOrEqual(1);
  });
});
