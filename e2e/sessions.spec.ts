import type { BrowserContext, Page } from "@playwright/test";
import { BASE_URL } from "./env";
import { COOKIE_NAME, createUser, expect, logInDirectly, test } from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

interface SessionSummaryBody {
  id: string;
  current: boolean;
  device: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

function sessionItems(page: Page) {
  return page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");
}

async function listSessions(page: Page): Promise<SessionSummaryBody[]> {
  const response = await page.request.get("/api/sessions");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { sessions: SessionSummaryBody[] }).sessions;
}

/** The context opens /dashboard and is sent to the login page, which says why its session ended. */
async function expectLoggedOut(context: BrowserContext, reason?: RegExp): Promise<void> {
  const page = await context.newPage();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)dashboard/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  if (reason) await expect(page.getByText(reason)).toBeVisible();
}

async function expectLoggedIn(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
}

test.describe("active sessions", () => {
  test("lists both sessions and marks this device", async ({ page, browser, loggedInUser }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);

    await page.goto("/sessions");
    await expect(page.getByRole("heading", { name: "Active sessions", level: 1 })).toBeVisible();
    await expect(sessionItems(page)).toHaveCount(2);
    await expect(sessionItems(page).filter({ hasText: "This device" })).toHaveCount(1);
    await expect(page.getByText("2 active sessions")).toBeVisible();
    // Only the other session can be revoked from here, and the button names no device.
    const revoke = page.getByRole("button", { name: "Revoke", exact: true });
    await expect(revoke).toHaveCount(1);
    await expect(revoke).toHaveAccessibleDescription(/last active/);
    await expect(revoke).toHaveAccessibleDescription(/Django \(Python\): SessionStore\(session_key\)\.delete\(\)/);
    await expect(sessionItems(page).first()).toContainText("This device");
    await expect(sessionItems(page).first().locator("time[datetime]")).toHaveCount(3);

    await other.close();
  });

  test("revoking the other session logs that browser out", async ({ page, browser, loggedInUser }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);
    await expectLoggedIn(other);

    await page.goto("/sessions");
    await expect(sessionItems(page)).toHaveCount(2);
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Session revoked" })).toBeVisible();
    await expect(sessionItems(page)).toHaveCount(1);
    await expect(page.getByText("No other sessions: you are not logged in anywhere else.")).toBeVisible();

    await expectLoggedOut(other, /revoked from another device/);
    await expectLoggedIn(page.context());
    await other.close();
  });

  test("log out other sessions keeps this one", async ({ page, browser, loggedInUser }) => {
    const second = await browser.newContext();
    const third = await browser.newContext();
    await logInDirectly(second, loggedInUser);
    await logInDirectly(third, loggedInUser);

    await page.goto("/sessions");
    await expect(sessionItems(page)).toHaveCount(3);
    await page.getByRole("button", { name: "Log out other sessions" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Logged out 2 other sessions" })).toBeVisible();
    await expect(sessionItems(page)).toHaveCount(1);
    await expect(sessionItems(page)).toContainText("This device");
    await expect(page.getByText("No other sessions: you are not logged in anywhere else.")).toBeVisible();

    await expectLoggedOut(second, /revoked from another device/);
    await expectLoggedOut(third, /revoked from another device/);
    await expectLoggedIn(page.context());
    await second.close();
    await third.close();
  });

  test("log out everywhere ends this session too", async ({ page, browser, loggedInUser }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);

    await page.goto("/sessions");
    await page.getByRole("button", { name: "Log out everywhere" }).click();
    await expect(page).toHaveURL(/\/login\?reason=logged_out_everywhere/);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

    await expectLoggedOut(page.context());
    await expectLoggedOut(other, /You logged out everywhere/);
    await other.close();
  });

  test("the page requires a login", async ({ page }) => {
    await page.goto("/sessions");
    await expect(page).toHaveURL(/\/login\?next=(%2F|\/)sessions$/);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  });
});

test.describe("sessions API", () => {
  test("GET /api/sessions lists both sessions, one current, by public id", async ({
    page,
    context,
    browser,
    loggedInUser,
  }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);

    const response = await page.request.get("/api/sessions");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toContain("no-store");
    const { sessions } = (await response.json()) as { sessions: SessionSummaryBody[] };
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]?.current).toBe(true);

    const cookies = [...(await context.cookies()), ...(await other.cookies())].filter((c) => c.name === COOKIE_NAME);
    expect(cookies).toHaveLength(2);
    for (const session of sessions) {
      for (const cookie of cookies) {
        expect(session.id).not.toBe(cookie.value);
        expect(cookie.value).not.toContain(session.id);
      }
    }
    await other.close();
  });

  test("GET /api/sessions without a login is 401", async ({ page }) => {
    const response = await page.request.get("/api/sessions");
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ error: "Unauthorized" });
  });

  test("DELETE /api/sessions/{id} revokes one of my sessions", async ({ page, browser, loggedInUser }) => {
    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);
    const target = (await listSessions(page)).find((s) => !s.current);
    expect(target).toBeDefined();

    const response = await page.request.delete(`/api/sessions/${target?.id}`, { headers: JSON_HEADERS });
    expect(response.status()).toBe(204);
    expect(await listSessions(page)).toHaveLength(1);
    await expectLoggedOut(other, /revoked from another device/);

    // Gone now: the same request is a 404.
    const again = await page.request.delete(`/api/sessions/${target?.id}`, { headers: JSON_HEADERS });
    expect(again.status()).toBe(404);
    await other.close();
  });

  test("DELETE of another user's session, or a made-up id, is the same 404", async ({
    page,
    browser,
    loggedInUser: _user,
  }) => {
    const stranger = await createUser();
    const third = await browser.newContext();
    await logInDirectly(third, stranger);
    const thirdPage = await third.newPage();
    const theirs = (await listSessions(thirdPage)).find((s) => s.current);
    expect(theirs).toBeDefined();

    const foreign = await page.request.delete(`/api/sessions/${theirs?.id}`, { headers: JSON_HEADERS });
    expect(foreign.status()).toBe(404);
    const foreignBody: unknown = await foreign.json();
    expect(foreignBody).toEqual({ error: "NotFound", message: "No such session." });

    const madeUp = await page.request.delete("/api/sessions/not-a-real-session-id", { headers: JSON_HEADERS });
    expect(madeUp.status()).toBe(404);
    expect(await madeUp.json()).toEqual(foreignBody);

    // The stranger's session is untouched.
    expect(await listSessions(thirdPage)).toHaveLength(1);
    await third.close();
  });

  test("DELETE refuses a request from another origin, and needs a login", async ({ page, browser }) => {
    const crossSite = await page.request.delete("/api/sessions/anything", {
      headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
    });
    expect(crossSite.status()).toBe(403);
    const anonymous = await browser.newContext();
    const response = await anonymous.request.delete("/api/sessions/anything", { headers: JSON_HEADERS });
    expect(response.status()).toBe(401);
    await anonymous.close();
  });
});
