import type { Page } from "@playwright/test";
import { BASE_URL } from "./env";
import { COOKIE_NAME, expect, test } from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

async function press(page: Page, fields: Record<string, string>, button: string): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: button, exact: true }).click();
}

test("the activity timeline shows the steps just taken, newest first", async ({ page, loggedInUser: _user }) => {
  await page.goto("/dashboard");
  await press(page, { Key: "cart", Value: "[1]" }, "Set");
  await expect(page.getByRole("status").filter({ hasText: 'Set "cart".' })).toBeVisible();
  await press(page, { Key: "cart" }, "Delete");
  await expect(page.getByRole("status").filter({ hasText: 'Deleted "cart".' })).toBeVisible();
  await press(page, {}, "Cycle key");
  await expect(page.getByRole("status").filter({ hasText: "Cycled the key" })).toBeVisible();

  const steps = page.getByRole("list", { name: "Session activity" }).getByRole("listitem");
  await expect(steps.nth(0)).toContainText("Key rotated");
  await expect(steps.nth(1)).toContainText("Key deleted cart");
  await expect(steps.nth(2)).toContainText("Key set cart");
  await expect(steps.last()).toContainText("Session created");
  await expect(page.getByRole("list", { name: "Session activity" })).toContainText("Logged in");
  // Values are never logged, only key names.
  await expect(page.getByRole("list", { name: "Session activity" })).not.toContainText("[1]");
});

test("the timeline folds repeats into one line and shows the newest lines first, with the rest one link away", async ({
  page,
  loggedInUser: _user,
}) => {
  await page.goto("/dashboard");
  for (const value of ["1", "2", "3"]) {
    await press(page, { Key: "cart", Value: value }, "Set");
    await expect(page.getByRole("status").filter({ hasText: 'Set "cart".' })).toBeVisible();
  }
  const activity = page.getByRole("list", { name: "Session activity" });
  await expect(activity.getByRole("listitem").first()).toContainText("Key set cart (3 times in a row)");

  // Twelve lines show; older ones are behind "Show all".
  for (let i = 0; i < 12; i++) {
    await press(page, { Key: `k${i}`, Value: "1" }, "Set");
    await expect(page.getByRole("status").filter({ hasText: `Set "k${i}".` })).toBeVisible();
  }
  await expect(activity.getByRole("listitem")).toHaveCount(12);
  await expect(activity).not.toContainText("Session created");
  await page.getByRole("link", { name: "Show all" }).click();
  await expect(page).toHaveURL(/activity=all/);
  await expect(activity).toContainText("Session created");
  await expect(activity.getByRole("listitem").filter({ hasText: "Key set cart (3 times in a row)" })).toHaveCount(1);
});

test("set_expiry from the playground changes the cookie's lifetime", async ({ page, context, loggedInUser: _user }) => {
  await page.goto("/dashboard");
  await press(page, { Expiry: "3600" }, "Set expiry");
  await expect(page.getByText("request.session.set_expiry(3600)")).toBeVisible();
  let cookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
  const minutes = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 60_000;
  expect(minutes).toBeGreaterThan(59);
  expect(minutes).toBeLessThanOrEqual(60);

  await press(page, { Expiry: "0" }, "Set expiry");
  await expect(page.getByText("request.session.set_expiry(0)")).toBeVisible();
  cookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
  expect(cookie?.expires).toBe(-1);

  await press(page, { Expiry: "next tuesday" }, "Set expiry");
  await expect(page.getByLabel("Expiry", { exact: true })).toHaveAccessibleDescription(/Enter seconds/);
});

test("50 parallel writes to one session all survive", async ({ page, loggedInUser: _user }) => {
  const writes = Array.from({ length: 50 }, (_, i) =>
    page.request.put(`/api/session/keys/k${i}`, { headers: JSON_HEADERS, data: { value: i } }),
  );
  const responses = await Promise.all(writes);
  expect(responses.map((r) => r.status())).toEqual(Array(50).fill(200));
  const body = (await (await page.request.get("/api/session")).json()) as { session: { data: Record<string, number> } };
  for (let i = 0; i < 50; i++) expect(body.session.data[`k${i}`]).toBe(i);
});
