import type { Page } from "@playwright/test";
import { BASE_URL } from "./env";
import { COOKIE_NAME, expect, test } from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

interface SessionApi {
  session: { keyPrefix: string; lastSeenAt: string; expiresAt: string; data: Record<string, unknown> } | null;
}

/** One numbered step of the walkthrough, found by its heading. */
function step(page: Page, title: string) {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: new RegExp(title) }) });
}

async function cookieBytes(page: Page): Promise<number> {
  const cookie = (await page.context().cookies()).find((c) => c.name === COOKIE_NAME);
  if (!cookie) throw new Error("no session cookie");
  return Buffer.byteLength(`${cookie.name}=${cookie.value}`, "utf8");
}

test.describe("how it works", () => {
  test("an anonymous visitor sees their own first steps", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("visit-count")).toHaveText("1");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "How it works" }).click();
    await expect(page).toHaveURL(/\/how-it-works$/);
    await expect(page.getByRole("heading", { level: 1, name: "How a session works" })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 2 }) })).toHaveCount(5);

    // The home page's visit counter stored "visits", so there is a row and a cookie now.
    await expect(step(page, "Storing something creates the row")).toContainText("Your cookie is");
    const api = ((await (await page.request.get("/api/session")).json()) as SessionApi).session;
    expect(api).not.toBeNull();
    const storing = step(page, "Storing something creates the row");
    await expect(storing).toContainText(
      `Your cookie is ${await cookieBytes(page)} bytes, key prefix ${api?.keyPrefix}…`,
    );
    await expect(storing).toContainText("visits = 1");
    await expect(storing.getByText("Done", { exact: true })).toBeVisible();
    await expect(step(page, "First visit")).toContainText("You are past this step");

    // Not logged in yet: that is where this visitor is.
    const login = step(page, "Logging in rotates the key");
    await expect(login).toHaveAttribute("aria-current", "step");
    await expect(login).toContainText(`Your key prefix is ${api?.keyPrefix}… now`);
    await expect(login.getByRole("link", { name: "log in, then come back here" })).toHaveAttribute(
      "href",
      "/login?next=/how-it-works",
    );
    await expect(step(page, "Requests slide the expiry").getByRole("time").first()).toHaveAttribute(
      "datetime",
      api?.lastSeenAt ?? "",
    );
  });

  test("a brand-new visitor has no cookie yet", async ({ page }) => {
    await page.goto("/how-it-works");
    const first = step(page, "First visit");
    await expect(first).toHaveAttribute("aria-current", "step");
    await expect(first).toContainText("You have no cookie yet");
    await expect(first.getByText("You are here", { exact: true })).toBeVisible();
    const storing = step(page, "Storing something creates the row");
    await expect(storing).toContainText("Nothing is stored for you yet");
    await expect(storing.getByRole("link", { name: /count a visit on the home page/ })).toHaveAttribute("href", "/");
    // Reading the page stored nothing and set no cookie.
    expect((await page.context().cookies()).some((c) => c.name === COOKIE_NAME)).toBe(false);
  });

  test("a logged-in visitor sees that the key was rotated, and their own expiry", async ({ page, loggedInUser }) => {
    const put = await page.request.put("/api/session/keys/visits", { headers: JSON_HEADERS, data: { value: 4 } });
    expect(put.ok()).toBe(true);
    await page.goto("/how-it-works");
    const api = ((await (await page.request.get("/api/session")).json()) as SessionApi).session;
    expect(api).not.toBeNull();

    await expect(page.getByRole("main")).toContainText(`You are logged in as ${loggedInUser.email}`);
    for (const title of [
      "First visit",
      "Storing something creates the row",
      "Logging in rotates the key",
      "Requests slide the expiry",
    ]) {
      await expect(step(page, title).getByText("Done", { exact: true })).toBeVisible();
    }
    await expect(step(page, "Storing something creates the row")).toContainText(
      `Your cookie is ${await cookieBytes(page)} bytes, key prefix ${api?.keyPrefix}…`,
    );
    await expect(step(page, "Storing something creates the row")).toContainText("visits = 4");

    const login = step(page, "Logging in rotates the key");
    await expect(login).toContainText(`It happened: you are logged in as ${loggedInUser.email}`);
    await expect(login).toContainText(`its prefix is now ${api?.keyPrefix}…`);
    await expect(login.getByRole("link", { name: /Cycle key on the dashboard/ })).toHaveAttribute(
      "href",
      "/dashboard#playground",
    );

    const sliding = step(page, "Requests slide the expiry");
    await expect(sliding.getByRole("time").nth(0)).toHaveAttribute("datetime", api?.lastSeenAt ?? "");
    await expect(sliding.getByRole("time").nth(1)).toHaveAttribute("datetime", api?.expiresAt ?? "");
    await expect(sliding).toContainText("Any request after 1 minute of use");

    const logout = step(page, "Logging out deletes the row");
    await expect(logout).toHaveAttribute("aria-current", "step");
    await expect(logout).toContainText(`Log out and row ${api?.keyPrefix}… is deleted`);
    await expect(logout.getByRole("link", { name: /Active sessions/ })).toHaveAttribute("href", "/sessions");

    // The Sesame and Django lines for each step.
    await expect(login.getByRole("code")).toContainText(["await session.login(user.id)", "login(request, user)"]);
  });
});
