import type { APIResponse, BrowserContext, Page } from "@playwright/test";
import { BASE_URL, E2E_PORT } from "./env";
import { createUser, expect, fact, logInDirectly, test, type TestUser } from "./fixtures";
import { useSecondServer } from "./second-server";

// Sudo mode: sensitive actions need a password entered within SESSION_REAUTH_WINDOW. A second server
// with a window of a few seconds (E2E_PORT + 12) lets the tests step past it by waiting; the main
// server's default of ten minutes never runs out during a test.
const WINDOW_SECONDS = 5;
const SHORT = useSecondServer(E2E_PORT + 12, { TRUST_PROXY: "1", SESSION_REAUTH_WINDOW: String(WINDOW_SECONDS) });
const jsonHeaders = (origin: string) => ({ Origin: origin, "Content-Type": "application/json" });

/** Lets the password entry of a session logged in before this call grow older than the short window. */
async function waitPastTheWindow(page: Page): Promise<void> {
  await page.waitForTimeout(WINDOW_SECONDS * 1000 + 500);
}

/** Another browser logged in as `user`: a second session to end. */
async function anotherSession(context: BrowserContext, user: TestUser): Promise<void> {
  await logInDirectly(context, user);
}

/** The public ids of the user's sessions, this one first. */
async function sessionIds(page: Page, origin: string): Promise<{ own: string; others: string[] }> {
  const response = await page.request.get(`${origin}/api/sessions`);
  expect(response.status()).toBe(200);
  const { sessions } = (await response.json()) as { sessions: { id: string; current: boolean }[] };
  const own = sessions.find((s) => s.current)?.id;
  if (!own) throw new Error("no current session in the list");
  return { own, others: sessions.filter((s) => !s.current).map((s) => s.id) };
}

const confirm = (page: Page, origin: string, password: string): Promise<APIResponse> =>
  page.request.post(`${origin}/api/auth/confirm`, { headers: jsonHeaders(origin), data: { password } });

async function expectConfirmPage(page: Page, origin: string, next: string): Promise<void> {
  await expect(page).toHaveURL(`${origin}/confirm-password?next=${encodeURIComponent(next)}`);
  await expect(page.getByRole("heading", { name: "Confirm your password", level: 1 })).toBeVisible();
}

test.describe("in a page", () => {
  test("past the window, log out other sessions asks for the password, then goes back and works", async ({
    page,
    browser,
    loggedInUser,
  }) => {
    const other = await browser.newContext();
    await anotherSession(other, loggedInUser);
    await waitPastTheWindow(page);

    await page.goto(`${SHORT}/sessions`);
    // The page says so before anything is pressed.
    await expect(page.getByText(/Sesame will ask for it first/)).toBeVisible();
    await page.getByRole("button", { name: "Log out other sessions" }).click();
    await expectConfirmPage(page, SHORT, "/sessions");
    await expect(page.getByText(`last ${WINDOW_SECONDS} seconds`)).toBeVisible();

    await page.getByLabel("Password", { exact: true }).fill(loggedInUser.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page).toHaveURL(`${SHORT}/sessions`);
    await page.getByRole("button", { name: "Log out other sessions" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Logged out 1 other session." })).toBeVisible();
    await other.close();
  });

  test("past the window, a password change goes through /confirm-password, where a wrong password is refused", async ({
    page,
    loggedInUser,
  }) => {
    await waitPastTheWindow(page);
    await page.goto(`${SHORT}/account`);
    const changePassword = async (): Promise<void> => {
      await page.getByLabel("Current password", { exact: true }).fill(loggedInUser.password);
      await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
      await page.getByLabel("Confirm new password", { exact: true }).fill("a brand new passphrase");
      await page.getByRole("button", { name: "Change password" }).click();
    };
    await changePassword();
    await expectConfirmPage(page, SHORT, "/account");

    const password = page.getByLabel("Password", { exact: true });
    await password.fill("not my password");
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(password).toHaveAccessibleDescription("That is not your current password.");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("status").filter({ hasText: "That is not your current password." })).toBeVisible();
    await expect(page).toHaveURL(/\/confirm-password\?/);

    await password.fill(loggedInUser.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page).toHaveURL(`${SHORT}/account`);
    await changePassword();
    await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  });

  test("inside the window nothing asks: revoking another session goes straight through", async ({
    page,
    browser,
    loggedInUser,
  }) => {
    const other = await browser.newContext();
    await anotherSession(other, loggedInUser);
    await page.goto("/sessions");
    await expect(page.getByText(/Yours counts until/)).toBeVisible();
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Session revoked" })).toBeVisible();
    await expect(page).toHaveURL(`${BASE_URL}/sessions`);
    await other.close();
  });

  test("an anonymous visitor is sent to log in, on to where they were going; a foreign next falls back", async ({
    page,
    user,
    context,
  }) => {
    await page.goto("/confirm-password?next=%2Fsessions");
    await expect(page).toHaveURL(`${BASE_URL}/login?next=%2Fsessions`);

    await logInDirectly(context, user);
    await page.goto(`/confirm-password?next=${encodeURIComponent("//evil.example/steal")}`);
    await expect(page.getByRole("heading", { name: "Confirm your password", level: 1 })).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/dashboard`);
  });

  test("the inspector counts the confirmation down, and the playground names @sudo_required", async ({
    page,
    loggedInUser: _user,
  }) => {
    await page.goto("/dashboard");
    const timer = page.getByRole("timer", { name: "Password confirmed" });
    await expect(timer).toHaveText(/^(10m 00s|9m \d\ds)$/);
    const server = page.getByRole("region", { name: "On the server" });
    await expect(fact(server, "Password confirmed").getByRole("time")).toBeVisible();

    const link = page.getByRole("link", { name: "Confirm password" });
    await expect(link).toHaveAccessibleDescription(
      "Sesame (TypeScript) await requireFreshPasswordOrRedirect(session, next) " +
        "Django (Python) @sudo_required # django-sudo; Laravel: ->middleware('password.confirm')",
    );
    await link.click();
    await expectConfirmPage(page, BASE_URL, "/dashboard#expiry");
  });

  test("past the window the countdown has run out, and confirming starts it again", async ({ page, loggedInUser }) => {
    await waitPastTheWindow(page);
    await page.goto(`${SHORT}/dashboard`);
    await expect(page.getByRole("timer", { name: "Password confirmed" })).toHaveText("0s");
    await page.getByRole("link", { name: "Confirm password" }).click();
    await page.getByLabel("Password", { exact: true }).fill(loggedInUser.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page).toHaveURL(`${SHORT}/dashboard#expiry`);
    await expect(page.getByRole("list", { name: "Session activity" })).toContainText("Password confirmed");
  });
});

test.describe("in the JSON API", () => {
  test("past the window, revoking another session is 403 until POST /api/auth/confirm renews it", async ({
    page,
    browser,
    loggedInUser,
  }) => {
    const other = await browser.newContext();
    await anotherSession(other, loggedInUser);
    const { others } = await sessionIds(page, SHORT);
    const [otherId] = others;
    await waitPastTheWindow(page);

    const refused = await page.request.delete(`${SHORT}/api/sessions/${otherId}`, { headers: jsonHeaders(SHORT) });
    expect(refused.status()).toBe(403);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe("ReauthenticationRequired");
    expect(body.message).toContain("/api/auth/confirm");

    const wrong = await confirm(page, SHORT, "not my password");
    expect(wrong.status()).toBe(401);
    expect(await wrong.json()).toMatchObject({
      error: "InvalidCredentials",
      message: "That is not your current password.",
    });

    const confirmed = await confirm(page, SHORT, loggedInUser.password);
    expect(confirmed.status()).toBe(200);
    const { confirmedAt, freshUntil } = (await confirmed.json()) as { confirmedAt: string; freshUntil: string };
    expect(Date.parse(freshUntil) - Date.parse(confirmedAt)).toBe(WINDOW_SECONDS * 1000);

    const revoked = await page.request.delete(`${SHORT}/api/sessions/${otherId}`, { headers: jsonHeaders(SHORT) });
    expect(revoked.status()).toBe(204);
    expect((await sessionIds(page, SHORT)).others).toEqual([]);
    await other.close();
  });

  test("revoking this very session is a logout: no password needed, even past the window", async ({
    page,
    loggedInUser: _user,
  }) => {
    const { own } = await sessionIds(page, SHORT);
    await waitPastTheWindow(page);
    const response = await page.request.delete(`${SHORT}/api/sessions/${own}`, { headers: jsonHeaders(SHORT) });
    expect(response.status()).toBe(204);
    expect((await page.request.get(`${SHORT}/api/sessions`)).status()).toBe(401);
  });

  test("POST /api/auth/confirm needs a login and a password, and is rate-limited like a login", async ({
    page,
    request,
  }) => {
    const anonymous = await request.post("/api/auth/confirm", {
      headers: jsonHeaders(BASE_URL),
      data: { password: "anything at all" },
    });
    expect(anonymous.status()).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "Unauthorized" });

    const user = await createUser();
    await logInDirectly(page.context(), user);
    const empty = await page.request.post("/api/auth/confirm", { headers: jsonHeaders(BASE_URL), data: {} });
    expect(empty.status()).toBe(400);
    expect(await empty.json()).toMatchObject({ error: "ValidationError" });

    // Ten wrong passwords from one address spend the hard limit; then even the right one waits.
    for (let i = 0; i < 10; i++) expect((await confirm(page, BASE_URL, `wrong guess ${i}`)).status()).toBe(401);
    const limited = await confirm(page, BASE_URL, user.password);
    expect(limited.status()).toBe(429);
    expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({
      error: "TooManyRequests",
      message: expect.stringMatching(/^Too many attempts/),
    });
  });
});

test.describe("in the admin", () => {
  test("past the window, the sessions admin asks a superuser for the password, in the page and in the API", async ({
    page,
    loggedInSuperuser,
  }) => {
    await waitPastTheWindow(page);
    const listed = await page.request.get(`${SHORT}/api/admin/sessions`);
    expect(listed.status()).toBe(403);
    expect(await listed.json()).toMatchObject({ error: "ReauthenticationRequired" });
    const ended = await page.request.delete(`${SHORT}/api/admin/sessions/any-session-id`, {
      headers: { Origin: SHORT },
    });
    expect(ended.status()).toBe(403);
    expect(await ended.json()).toMatchObject({ error: "ReauthenticationRequired" });

    await page.goto(`${SHORT}/admin/sessions?email=example`);
    await expectConfirmPage(page, SHORT, "/admin/sessions?email=example");
    await page.getByLabel("Password", { exact: true }).fill(loggedInSuperuser.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page).toHaveURL(`${SHORT}/admin/sessions?email=example`);
    await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    expect((await page.request.get(`${SHORT}/api/admin/sessions`)).status()).toBe(200);
  });
});
