import type { Page } from "@playwright/test";
import { COOKIE_NAME, expect, test } from "./fixtures";

function contents(page: Page) {
  return page.getByRole("table", { name: "Session contents" });
}

async function press(
  page: Page,
  fields: { key?: string; value?: string; default?: string },
  button: string,
): Promise<void> {
  if (fields.key !== undefined) await page.getByLabel("Key").fill(fields.key);
  if (fields.value !== undefined) await page.getByLabel("Value").fill(fields.value);
  if (fields.default !== undefined) await page.getByLabel("Default").fill(fields.default);
  await page.getByRole("button", { name: button, exact: true }).click();
}

test.describe("dashboard playground", () => {
  test.beforeEach(async ({ page, loggedInUser }) => {
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    await expect(page.getByRole("main").getByText(loggedInUser.email)).toBeVisible();
  });

  test("set a key, reload, and it persists; then delete it", async ({ page }) => {
    await press(page, { key: "cart", value: '[1, {"sku": "A-1"}]' }, "Set");
    await expect(page.getByRole("status").filter({ hasText: 'Set "cart".' })).toBeVisible();
    // The Django line in Python's own notation, as a shell would show the value.
    await expect(page.getByText("request.session['cart'] = [1, {'sku': 'A-1'}]")).toBeVisible();
    const row = contents(page).getByRole("row", { name: /cart/ });
    await expect(row).toContainText('[1,{"sku":"A-1"}]');
    await expect(row).toContainText("array");

    await page.reload();
    await expect(contents(page).getByRole("row", { name: /cart/ })).toContainText('[1,{"sku":"A-1"}]');

    await press(page, { key: "cart" }, "Delete");
    await expect(page.getByRole("status").filter({ hasText: 'Deleted "cart".' })).toBeVisible();
    await expect(contents(page).getByRole("row", { name: /cart/ })).toHaveCount(0);
    await page.reload();
    await expect(contents(page)).toContainText("The session is empty.");
  });

  test("deleting a missing key shows the KeyError", async ({ page }) => {
    await press(page, { key: "ghost" }, "Delete");
    await expect(page.getByRole("status").filter({ hasText: 'KeyError: "ghost"' })).toBeVisible();
    await expect(page.getByText('{"error":"KeyError","key":"ghost"', { exact: false })).toBeVisible();
    await expect(page.getByLabel("Key")).toHaveAccessibleDescription(/KeyError/);
  });

  test("get returns the value, or the default when the key is missing", async ({ page }) => {
    await press(page, { key: "colour", value: '"green"' }, "Set");
    await expect(contents(page).getByRole("row", { name: /colour/ })).toContainText("string");
    await press(page, { key: "colour" }, "Get");
    await expect(page.getByRole("status").filter({ hasText: 'Got "colour": "green".' })).toBeVisible();
    await press(page, { key: "missing", default: "42" }, "Get");
    await expect(page.getByRole("status").filter({ hasText: 'Got "missing": 42 (the default).' })).toBeVisible();
    await expect(page.getByText("request.session.get('missing', 42)")).toBeVisible();
  });

  test("the Django line writes values as Python does: None, True, False, quotes, dicts", async ({ page }) => {
    const status = page.getByRole("status").filter({ hasText: /\S/ });
    await press(page, { key: "flags", value: '{"on": true, "off": false, "gone": null, "name": "O\'Brien"}' }, "Set");
    await expect(status).toContainText('Set "flags".');
    await expect(status.getByRole("code")).toHaveText([
      'session.set("flags", {"on":true,"off":false,"gone":null,"name":"O\'Brien"})',
      `request.session['flags'] = {'on': True, 'off': False, 'gone': None, 'name': "O'Brien"}`,
    ]);
    // Get with no default: Django's default is None, and the missing key returns it.
    await press(page, { key: "absent", default: "" }, "Get");
    await expect(status).toContainText('Got "absent": null (the default).');
    await expect(status.getByRole("code")).toHaveText([
      'session.get("absent", null)',
      "request.session.get('absent', None)",
    ]);
    await press(page, { key: "absent", default: "[true, 1.5]" }, "Get");
    await expect(status.getByRole("code")).toHaveText([
      'session.get("absent", [true,1.5])',
      "request.session.get('absent', [True, 1.5])",
    ]);
  });

  test("a value that is not JSON gets a clear error and changes nothing", async ({ page }) => {
    await press(page, { key: "bad", value: "{oops" }, "Set");
    await expect(page.getByLabel("Value")).toHaveAccessibleDescription(/must be JSON/);
    await expect(contents(page).getByRole("row", { name: /bad/ })).toHaveCount(0);
  });

  test("cycle key keeps the data under a new key", async ({ page, context }) => {
    await press(page, { key: "kept", value: "true" }, "Set");
    await expect(contents(page).getByRole("row", { name: /kept/ })).toBeVisible();
    const before = (await context.cookies()).find((c) => c.name === COOKIE_NAME)?.value;
    await press(page, {}, "Cycle key");
    await expect(page.getByRole("status").filter({ hasText: "Cycled the key" })).toBeVisible();
    const after = (await context.cookies()).find((c) => c.name === COOKIE_NAME)?.value;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    await page.reload();
    await expect(contents(page).getByRole("row", { name: /kept/ })).toContainText("true");
  });

  test("flush deletes the session and logs out", async ({ page }) => {
    await press(page, {}, "Flush");
    await expect(page).toHaveURL(/\/login\?reason=flushed/);
    await expect(page.getByText("You flushed your session")).toBeVisible();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard|\/login\?next=\/dashboard/);
  });
});

test.describe("dashboard playground on a phone", () => {
  test.use({ viewport: { width: 375, height: 667 }, hasTouch: true });

  test("each result shows where the eye is, and focus stays on the control that acted", async ({
    page,
    loggedInUser: _user,
  }) => {
    await page.goto("/dashboard");
    await page.getByLabel("Key", { exact: true }).fill("cart");
    await page.getByLabel("Value", { exact: true }).fill("[1]");
    const set = page.getByRole("button", { name: "Set", exact: true });
    await set.tap();
    await expect(page.getByRole("status").filter({ hasText: 'Set "cart".' })).toBeInViewport();
    await expect(set).toBeFocused();

    // A call further down the list answers next to its own button, and the earlier result goes away.
    const get = page.getByRole("button", { name: "Get", exact: true });
    await get.tap();
    await expect(page.getByRole("status").filter({ hasText: 'Got "cart": [1].' })).toBeInViewport();
    await expect(get).toBeFocused();
    await expect(page.getByText('Set "cart".')).toHaveCount(0);

    // Enter in a field submits with Set, and the field keeps the focus.
    const value = page.getByLabel("Value", { exact: true });
    await value.fill("[1, 2]");
    await value.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: 'Set "cart".' })).toBeInViewport();
    await expect(value).toBeFocused();
  });
});
