import type { Locator, Page, Response } from "@playwright/test";
import { parseCountdown } from "../lib/format";
import { BASE_URL } from "./env";
import { COOKIE_NAME, expect, fact, findSessionRow, logInDirectly, test } from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

interface SessionApi {
  session: {
    keyPrefix: string;
    data: Record<string, unknown>;
    createdAt: string;
    lastSeenAt: string;
    expiresAt: string;
    expireAtBrowserClose: boolean;
  };
}

interface SentCookie {
  value: string;
  /** Attribute names in lower case; flags map to true. */
  attributes: Map<string, string | true>;
}

/** The session cookie in a response's Set-Cookie headers. */
function sentSessionCookie(response: Response, headers: { name: string; value: string }[]): SentCookie {
  const line = headers
    .filter((header) => header.name.toLowerCase() === "set-cookie")
    .map((header) => header.value)
    .find((value) => value.startsWith(`${COOKIE_NAME}=`));
  if (!line) throw new Error(`${response.url()} sent no ${COOKIE_NAME} cookie`);
  const [pair = "", ...parts] = line.split(";").map((part) => part.trim());
  const attributes = new Map<string, string | true>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq === -1) attributes.set(part.toLowerCase(), true);
    else attributes.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  return { value: pair.slice(pair.indexOf("=") + 1), attributes };
}

interface ListedAttribute {
  value: string | true;
  set: boolean;
}

/** The attributes the "In your browser" panel lists, keyed like Set-Cookie's, in lower case. */
async function listedAttributes(panel: Locator): Promise<Map<string, ListedAttribute>> {
  const listed = new Map<string, ListedAttribute>();
  const items = panel.getByRole("list", { name: "Cookie attributes" }).getByRole("listitem");
  for (const item of await items.all()) {
    const token = ((await item.getByRole("code").first().textContent()) ?? "").trim();
    const set = (await item.getByText("not set", { exact: true }).count()) === 0;
    const eq = token.indexOf("=");
    if (eq === -1) listed.set(token.toLowerCase(), { value: true, set });
    else listed.set(token.slice(0, eq).toLowerCase(), { value: token.slice(eq + 1), set });
  }
  return listed;
}

/** Presses a playground button and returns the server action's response. */
async function pressAndCapture(page: Page, button: string): Promise<{ response: Response; cookie: SentCookie }> {
  const responsePromise = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.request().headers()["next-action"] !== undefined,
  );
  await page.getByRole("button", { name: button, exact: true }).click();
  const response = await responsePromise;
  return { response, cookie: sentSessionCookie(response, await response.headersArray()) };
}

/** Checks every attribute the server sent against what the panel lists, and the reverse. */
async function expectPanelMatches(page: Page, sent: SentCookie): Promise<void> {
  const panel = page.getByRole("region", { name: "In your browser" });
  const listed = await listedAttributes(panel);

  expect(listed.get("httponly")?.set).toBe(sent.attributes.has("httponly"));
  expect(listed.get("secure")?.set).toBe(sent.attributes.has("secure"));
  expect(String(listed.get("samesite")?.value).toLowerCase()).toBe(
    String(sent.attributes.get("samesite")).toLowerCase(),
  );
  expect(listed.get("path")?.value).toBe(sent.attributes.get("path"));

  const maxAge = sent.attributes.get("max-age");
  if (maxAge === undefined) {
    expect(sent.attributes.has("expires")).toBe(false);
    expect(listed.has("session cookie")).toBe(true);
    expect(listed.has("max-age")).toBe(false);
    expect(listed.has("expires")).toBe(false);
    await expect(panel.getByText("Ends when the browser closes")).toBeVisible();
  } else {
    expect(listed.has("session cookie")).toBe(false);
    // The panel computes its Max-Age when it renders, a moment after the action's save.
    expect(Math.abs(Number(listed.get("max-age")?.value) - Number(maxAge))).toBeLessThanOrEqual(2);
    const sentExpires = Date.parse(String(sent.attributes.get("expires")));
    expect(Math.abs(Date.parse(String(listed.get("expires")?.value)) - sentExpires)).toBeLessThanOrEqual(2000);
    await expect(panel.getByText("Persistent (has Max-Age)")).toBeVisible();
  }

  // The sealed value's ends, and its size, are those of the cookie just sent; the middle is not on the page.
  const value = panel
    .getByRole("term")
    .filter({ hasText: /^Sealed value$/ })
    .locator("xpath=following-sibling::dd[1]");
  await expect(value).toContainText(sent.value.slice(0, 8));
  await expect(value).toContainText(sent.value.slice(-8));
  await expect(page.locator("body")).not.toContainText(sent.value.slice(8, -8));
  const size = Buffer.byteLength(`${COOKIE_NAME}=${sent.value}`, "utf8");
  await expect(
    panel
      .getByRole("term")
      .filter({ hasText: /^Size$/ })
      .locator("xpath=following-sibling::dd[1]"),
  ).toContainText(`${size} bytes`);
}

test.describe("session inspector", () => {
  test("the cookie panel lists the attributes of the Set-Cookie the server sent", async ({
    page,
    loggedInUser: _user,
  }) => {
    await page.goto("/dashboard");
    const panel = page.getByRole("region", { name: "In your browser" });
    await expect(panel.getByText("JavaScript on this page cannot read it (HttpOnly).")).toBeVisible();
    await expect(panel.getByText(`does not include ${COOKIE_NAME}`)).toBeVisible();

    // A browser-session cookie: no Max-Age, no Expires.
    const cycled = await pressAndCapture(page, "Cycle key");
    await expect(page.getByRole("status").filter({ hasText: "Cycled the key" })).toBeVisible();
    expect(cycled.cookie.attributes.get("max-age")).toBeUndefined();
    await expectPanelMatches(page, cycled.cookie);

    // A persistent one, after set_expiry(3600).
    await page.getByLabel("Expiry", { exact: true }).fill("3600");
    const persistent = await pressAndCapture(page, "Set expiry");
    await expect(page.getByRole("status").filter({ hasText: "3600 seconds of inactivity" })).toBeVisible();
    expect(Number(persistent.cookie.attributes.get("max-age"))).toBeGreaterThan(3590);
    await expectPanelMatches(page, persistent.cookie);
  });

  test("the row panel matches GET /api/session, and never shows the token", async ({ page, loggedInUser }) => {
    for (const [key, value] of Object.entries({ cart: [1, 2], naïve: "crème brûlée" })) {
      const response = await page.request.put(`/api/session/keys/${encodeURIComponent(key)}`, {
        headers: JSON_HEADERS,
        data: { value },
      });
      expect(response.ok()).toBe(true);
    }
    await page.goto("/dashboard");
    const api = ((await (await page.request.get("/api/session")).json()) as SessionApi).session;
    const server = page.getByRole("region", { name: "On the server" });

    await expect(fact(server, "Created").getByRole("time")).toHaveAttribute("datetime", api.createdAt);
    await expect(fact(server, "Last seen").getByRole("time")).toHaveAttribute("datetime", api.lastSeenAt);
    // The idle expiry (30 minutes) comes before the absolute one (12 hours), so it is the stored expiresAt.
    await expect(fact(server, "Idle expiry").getByRole("time")).toHaveAttribute("datetime", api.expiresAt);
    await expect(fact(server, "Token hash").getByRole("code")).toHaveText(
      new RegExp(`^sha256 ${api.keyPrefix}[0-9a-f]{4}…$`),
    );
    const dataBytes = Buffer.byteLength(JSON.stringify(api.data), "utf8");
    await expect(fact(server, "Data size")).toContainText(`${dataBytes} bytes`);
    await expect(fact(server, "Data size")).toContainText("2 keys");
    await expect(fact(server, "User id")).toHaveText(loggedInUser.id);
    await expect(fact(server, "Engine")).toContainText("db");
    await expect(fact(server, "Database")).toContainText("SQLite");
    await expect(fact(server, "IP")).toHaveText(/^\d+\.\d+\.\d+\.\d+$/);

    // The decoded data, and the path from cookie to data with this session's own values.
    const contents = page.getByRole("table", { name: "Session contents" });
    await expect(contents.getByRole("row", { name: /naïve/ })).toContainText('"crème brûlée"');
    const path = page.getByRole("list", { name: "The path of this request, step by step" }).getByRole("listitem");
    await expect(path).toHaveCount(6);
    await expect(path.nth(0)).toContainText(new RegExp(`${COOKIE_NAME} \\(\\d+ bytes\\)`));
    await expect(path.nth(1)).toContainText("iron-session unseal");
    await expect(path.nth(2)).toContainText("32-byte token");
    await expect(path.nth(3)).toContainText(`sha256 ${api.keyPrefix}…`);
    await expect(path.nth(5)).toContainText(`2 keys, ${dataBytes} bytes`);

    // Neither the full hash nor any part of the cookie's middle is on the page.
    const cookie = (await page.context().cookies()).find((c) => c.name === COOKIE_NAME);
    expect(cookie).toBeDefined();
    const html = await page.content();
    expect(html).not.toContain(cookie?.value.slice(8, -8));
    expect(html).not.toMatch(/[0-9a-f]{64}/);
  });

  test("the countdowns tick down, and say which expiry comes first and what extends it", async ({
    page,
    loggedInUser: _user,
  }) => {
    await page.goto("/dashboard");
    const idle = page.getByRole("timer", { name: "Idle expiry" });
    const absolute = page.getByRole("timer", { name: "Absolute expiry" });
    await expect(idle).toHaveAttribute("aria-live", "off");
    await expect(absolute).toHaveAttribute("aria-live", "off");

    const idleBefore = parseCountdown((await idle.textContent()) ?? "");
    const absoluteBefore = parseCountdown((await absolute.textContent()) ?? "");
    expect(idleBefore).toBeGreaterThan(29 * 60 - 5);
    expect(idleBefore).toBeLessThanOrEqual(30 * 60);
    expect(absoluteBefore).toBeGreaterThan(12 * 3600 - 60);

    await page.waitForTimeout(2_200);
    const idleAfter = parseCountdown((await idle.textContent()) ?? "");
    const absoluteAfter = parseCountdown((await absolute.textContent()) ?? "");
    expect(idleAfter).toBeLessThan(idleBefore);
    expect(idleBefore - idleAfter).toBeGreaterThanOrEqual(1);
    expect(idleBefore - idleAfter).toBeLessThanOrEqual(4);
    expect(absoluteAfter).toBeLessThan(absoluteBefore);

    const expiry = page.getByRole("region", { name: "When this session ends" });
    await expect(expiry).toContainText("The idle expiry will end this session first");
    await expect(expiry).toContainText("Any request after 1 minute of use");
    await expect(expiry.getByText("Ends the session first")).toBeVisible();
  });

  test("each playground action shows its Sesame and Django lines and updates the contents", async ({
    page,
    loggedInUser: _user,
  }) => {
    await page.goto("/dashboard");
    const operations = page.getByRole("list", { name: "Operations" });
    const contents = page.getByRole("table", { name: "Session contents" });
    const status = page.getByRole("status").filter({ hasText: /\S/ });
    const labels: [button: string, sesame: string, django: string][] = [
      ["Set", "session.set(key, value)", "request.session[key] = value"],
      ["Get", "session.get(key, fallback)", "request.session.get(key, default)"],
      ["Delete", "session.delete(key)", "del request.session[key]"],
      ["Set expiry", "session.setExpiry(value)", "request.session.set_expiry(value)"],
      ["Cycle key", "await session.cycleKey()", "request.session.cycle_key()"],
      ["Flush", "await session.flush()", "request.session.flush()"],
    ];
    for (const [button, sesame, django] of labels) {
      const control = page.getByRole("button", { name: button, exact: true });
      const item = operations.getByRole("listitem").filter({ has: control });
      await expect(item.getByRole("code")).toHaveText([sesame, django]);
      // Screen readers hear both lines with the button.
      await expect(control).toHaveAccessibleDescription(`Sesame (TypeScript) ${sesame} Django (Python) ${django}`);
    }

    // Set
    await page.getByLabel("Key", { exact: true }).fill("cart");
    await page.getByLabel("Value", { exact: true }).fill("[1]");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect(status).toContainText('Set "cart".');
    await expect(status.getByRole("code")).toHaveText(['session.set("cart", [1])', "request.session['cart'] = [1]"]);
    await expect(contents.getByRole("row", { name: /cart/ })).toContainText("array");

    // Get
    await page.getByRole("button", { name: "Get", exact: true }).click();
    await expect(status).toContainText('Got "cart": [1].');
    await expect(status.getByRole("code")).toHaveText([
      'session.get("cart", null)',
      "request.session.get('cart', None)",
    ]);

    // Set expiry: the cookie becomes persistent and the idle expiry shrinks to ten minutes.
    await page.getByLabel("Expiry", { exact: true }).fill("600");
    await page.getByRole("button", { name: "Set expiry", exact: true }).click();
    await expect(status.getByRole("code")).toHaveText(["session.setExpiry(600)", "request.session.set_expiry(600)"]);
    await expect(
      page.getByRole("region", { name: "In your browser" }).getByText("Persistent (has Max-Age)"),
    ).toBeVisible();
    await expect(page.getByText("10 minutes, sliding with activity")).toBeVisible();
    expect(
      parseCountdown((await page.getByRole("timer", { name: "Idle expiry" }).textContent()) ?? ""),
    ).toBeLessThanOrEqual(600);

    // Cycle key: a new hash, the same data.
    const hash = fact(page.getByRole("region", { name: "On the server" }), "Token hash").getByRole("code");
    const hashBefore = await hash.textContent();
    await page.getByRole("button", { name: "Cycle key", exact: true }).click();
    await expect(status.getByRole("code")).toHaveText(["await session.cycleKey()", "request.session.cycle_key()"]);
    await expect(hash).not.toHaveText(hashBefore ?? "");
    await expect(contents.getByRole("row", { name: /cart/ })).toContainText("[1]");

    // Delete, then delete again: the KeyError exactly as the API gives it.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(status).toContainText('Deleted "cart".');
    await expect(status.getByRole("code")).toHaveText(['session.delete("cart")', "del request.session['cart']"]);
    await expect(contents).toContainText("The session is empty.");
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(status).toContainText('KeyError: "cart" is not in the session.');
    const api = await page.request.delete("/api/session/keys/cart", { headers: JSON_HEADERS });
    expect(api.status()).toBe(404);
    await expect(status.getByRole("code").last()).toHaveText(`404 ${await api.text()}`);

    // Flush: the row is gone, and so is the login.
    await page.getByRole("button", { name: "Flush", exact: true }).click();
    await expect(page).toHaveURL(/\/login\?reason=flushed/);
  });

  test("set_expiry(300) ends the session 300 seconds after that request, and every place agrees", async ({
    page,
    context,
    user,
  }) => {
    // Logged in 40 seconds ago: within the touch interval, so no request since has moved lastSeenAt.
    await logInDirectly(context, user, { at: new Date(Date.now() - 40_000) });
    await page.goto("/dashboard");
    await page.getByLabel("Expiry", { exact: true }).fill("300");
    const before = Date.now();
    const { cookie } = await pressAndCapture(page, "Set expiry");
    const after = Date.now();
    await expect(page.getByRole("status").filter({ hasText: "expires after 300 seconds of inactivity" })).toBeVisible();

    // The cookie: Max-Age is the 300 seconds just asked for, and the browser keeps it that long.
    expect(Number(cookie.attributes.get("max-age"))).toBe(300);
    // The row, through GET /api/session: 300 seconds after the request, as Django counts from the save.
    const api = ((await (await page.request.get("/api/session")).json()) as SessionApi).session;
    const expiresAt = Date.parse(api.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 300_000);
    const stored = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
    expect(Math.abs((stored?.expires ?? 0) * 1000 - expiresAt)).toBeLessThanOrEqual(1000);

    // The inspector's row, and the countdown, which counts down to the same moment.
    const server = page.getByRole("region", { name: "On the server" });
    await expect(fact(server, "Idle expiry").getByRole("time")).toHaveAttribute("datetime", api.expiresAt);
    const countdown = parseCountdown((await page.getByRole("timer", { name: "Idle expiry" }).textContent()) ?? "");
    // It ticks in the browser from the server's render, so it may trail the clock by a second or two.
    expect(Math.abs(countdown - (expiresAt - Date.now()) / 1000)).toBeLessThanOrEqual(2);
    expect(countdown).toBeGreaterThanOrEqual(295);
  });

  test("the request path names each session's own row, and a new key names a new one", async ({
    page,
    context,
    browser,
    loggedInUser,
  }) => {
    const rowStep = (p: Page): Locator =>
      p.getByRole("list", { name: "The path of this request, step by step" }).getByRole("listitem").nth(4);
    await page.goto("/dashboard");
    const mine = (await rowStep(page).textContent()) ?? "";

    const other = await browser.newContext();
    await logInDirectly(other, loggedInUser);
    const otherPage = await other.newPage();
    await otherPage.goto("/dashboard");
    const theirs = (await rowStep(otherPage).textContent()) ?? "";
    await other.close();
    expect(theirs).not.toBe(mine);

    // The label is the end of the row's id, the part a UUIDv7 does not share with its neighbours.
    const cookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME);
    const row = await findSessionRow(cookie?.value ?? "");
    expect(row).not.toBeNull();
    expect(mine).toContain(row?.id.slice(-8));

    await page.getByRole("button", { name: "Cycle key", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Cycled the key" })).toBeVisible();
    await expect(rowStep(page)).not.toHaveText(mine);
  });

  test("at 1280 px, a short key in the contents table stays on one line", async ({ page, loggedInUser: _user }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const value = { sku: "A-1", quantity: 2, note: "a longer value that has to wrap inside its column" };
    const response = await page.request.put("/api/session/keys/cart", {
      headers: JSON_HEADERS,
      data: { value: [value, value] },
    });
    expect(response.ok()).toBe(true);
    await page.goto("/dashboard");
    const key = page.getByRole("table", { name: "Session contents" }).getByRole("rowheader", { name: "cart" });
    await expect(key).toBeVisible();
    const lines = await key.evaluate((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    });
    expect(lines).toBe(1);
  });
});
