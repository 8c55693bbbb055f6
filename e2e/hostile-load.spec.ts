import type { APIRequestContext, APIResponse, Page, Response } from "@playwright/test";
import { BASE_URL, E2E_PORT } from "./env";
import { COOKIE_NAME, expect, findSessionRow, logInDirectly, test, uniqueClientIp } from "./fixtures";
import { startSecondServer, type SecondServer } from "./second-server";

// Issue 11's attacks, each replayed against production servers. The main test server trusts one
// proxy (TRUST_PROXY=1), so each request names its client in X-Forwarded-For as a proxy would.
const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

async function apiLogin(request: APIRequestContext, email: string, password: string, ip: string): Promise<APIResponse> {
  return request.post("/api/auth/login", {
    headers: { ...JSON_HEADERS, "X-Forwarded-For": ip },
    data: { email, password },
  });
}

test.describe("login limits", () => {
  test("40 parallel wrong guesses for one account: only the budget of 10 is checked, the rest get 429", async ({
    request,
    user,
  }) => {
    const ip = uniqueClientIp();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => apiLogin(request, user.email, `wrong guess ${i}`, ip)),
    );
    const statuses = responses.map((r) => r.status());
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    for (const response of responses.filter((r) => r.status() === 429))
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  });

  test("a stranger's 12 failures from one address do not lock the owner out from another", async ({
    request,
    user,
  }) => {
    const stranger = uniqueClientIp();
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await apiLogin(request, user.email, `guess ${i}`, stranger)).status());
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    // The stranger stays refused, even with the right password...
    expect((await apiLogin(request, user.email, user.password, stranger)).status()).toBe(429);
    // ...while the owner, elsewhere, logs in.
    expect((await apiLogin(request, user.email, user.password, uniqueClientIp())).status()).toBe(200);
  });

  test("a password past bcrypt's 72 bytes fails as a wrong one: the right 72 bytes plus a suffix do not log in", async ({
    request,
  }) => {
    const email = `long-${Date.now()}-${Math.random().toString(16).slice(2)}@example.test`;
    const password = "a".repeat(36) + "b".repeat(36); // exactly 72 bytes
    const registered = await request.post("/api/auth/register", {
      headers: { ...JSON_HEADERS, "X-Forwarded-For": uniqueClientIp() },
      data: { email, password },
    });
    expect(registered.status()).toBe(201);
    const wrong = await apiLogin(request, email, "not the password at all", uniqueClientIp());
    const suffixed = await apiLogin(request, email, `${password}anything`, uniqueClientIp());
    expect(suffixed.status()).toBe(401);
    expect(await suffixed.json()).toEqual(await wrong.json());
    expect((await apiLogin(request, email, password, uniqueClientIp())).status()).toBe(200);
  });
});

test.describe("trusted hops", () => {
  test("behind one proxy, the client is the address the proxy saw, not one the client wrote before it", async ({
    request,
    user,
  }) => {
    const seenByProxy = uniqueClientIp();
    const response = await request.post("/api/auth/login", {
      headers: { ...JSON_HEADERS, "X-Forwarded-For": `6.6.6.6, ${seenByProxy}` },
      data: { email: user.email, password: user.password },
    });
    expect(response.status()).toBe(200);
    const cookie = (await request.storageState()).cookies.find((c) => c.name === COOKIE_NAME);
    expect((await findSessionRow(cookie?.value ?? ""))?.ip).toBe(seenByProxy);
  });

  test("an IPv6 client is counted by its /64: rotating addresses inside it does not reset the count", async ({
    request,
    user,
  }) => {
    const block = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const statuses = [];
    for (let i = 1; i <= 11; i++)
      statuses.push((await apiLogin(request, user.email, `guess ${i}`, `${block}::${i.toString(16)}`)).status());
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });
});

test("the benchmark's stateless endpoint is not served unless the benchmark turns it on", async ({ request }) => {
  const response = await request.get("/api/bench/stateless");
  expect(response.status()).toBe(404);
});

test.describe("Clear-Site-Data on every way out, also without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  /** Clicks a form's button and returns the response to the POST it sends. */
  async function submit(page: Page, button: string): Promise<Response> {
    const posted = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByRole("button", { name: button }).click();
    return posted;
  }

  test("the Log out form", async ({ page, loggedInUser: _user }) => {
    await page.goto("/dashboard");
    const response = await submit(page, "Log out");
    expect(await response.headerValue("clear-site-data")).toBe(CLEAR_SITE_DATA);
    await expect(page).toHaveURL(/\/login\?reason=logged_out/);
  });

  test("Log out everywhere", async ({ page, loggedInUser: _user }) => {
    await page.goto("/sessions");
    const response = await submit(page, "Log out everywhere");
    expect(await response.headerValue("clear-site-data")).toBe(CLEAR_SITE_DATA);
    await expect(page).toHaveURL(/\/login\?reason=logged_out_everywhere/);
  });

  test("deleting the account", async ({ page, loggedInUser }) => {
    await page.goto("/account");
    await page.getByLabel("Password", { exact: true }).fill(loggedInUser.password);
    const response = await submit(page, "Delete account");
    expect(await response.headerValue("clear-site-data")).toBe(CLEAR_SITE_DATA);
  });

  test("a page that only reads never asks to clear anything", async ({ page, context, user }) => {
    await logInDirectly(context, user);
    const response = await page.goto("/dashboard");
    expect(await response?.headerValue("clear-site-data")).toBeNull();
  });
});

// A server of its own, started as `npm run serve` starts it (the same 256 MB heap), with tight
// queue and session limits, so that a flood meets them quickly.
test.describe("under a flood", () => {
  const PORT = E2E_PORT + 4;
  const ORIGIN = `http://localhost:${PORT}`;
  const SESSIONS_PER_IP = 200;
  let server: SecondServer | undefined;

  test.describe.configure({ mode: "serial", timeout: 240_000 });

  test.beforeAll(async () => {
    server = await startSecondServer(PORT, {
      TRUST_PROXY: "1",
      SESAME_METRICS: "1",
      RATE_LIMIT_SESSION_IP: `${SESSIONS_PER_IP}/3600`,
      BCRYPT_WORKERS: "1",
      BCRYPT_QUEUE_LIMIT: "2",
    });
  });

  test.afterAll(() => {
    server?.stop();
  });

  test("3,000 anonymous 60 KB writes from as many addresses leave the server answering, under 400 MB", async () => {
    // Plain fetch and no cookie jar: every write starts a new session, as the attack did.
    const body = JSON.stringify({ value: "x".repeat(60 * 1024) });
    const put = (ip: string): Promise<number> =>
      fetch(`${ORIGIN}/api/session/keys/cart`, {
        method: "PUT",
        headers: { Origin: ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": ip },
        body,
      }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 60; batch++) {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => put(`10.${batch}.0.${i + 1}`)));
      for (const status of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    // Each address started one session: all were within their budget, and the server held up.
    expect(Object.fromEntries(statuses)).toEqual({ 200: 3000 });
    const health = await fetch(`${ORIGIN}/api/health`);
    expect(health.status).toBe(200);
    const metrics = (await (await fetch(`${ORIGIN}/__sesame/metrics`)).json()) as { peakRssMb: number };
    expect(metrics.peakRssMb).toBeLessThan(400);
  });

  test("one address gets RATE_LIMIT_SESSION_IP new sessions, then a clear 429 with Retry-After", async ({
    playwright,
  }) => {
    const ip = uniqueClientIp();
    const statuses: number[] = [];
    const retryAfter: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const request = await playwright.request.newContext();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          request.put(`${ORIGIN}/api/session/keys/cart`, {
            headers: { Origin: ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": ip },
            data: { value: "book" },
          }),
        ),
      );
      for (const response of responses) {
        statuses.push(response.status());
        if (response.status() === 429) retryAfter.push(response.headers()["retry-after"] ?? "");
      }
      await request.dispose();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(SESSIONS_PER_IP);
    expect(statuses.filter((s) => s === 429)).toHaveLength(250 - SESSIONS_PER_IP);
    expect(retryAfter.every((value) => Number(value) > 0)).toBe(true);
  });

  test("a body over 128 KiB is refused with 413, declared or not, and nothing is stored", async ({ playwright }) => {
    const request = await playwright.request.newContext();
    const big = JSON.stringify({ value: "x".repeat(200 * 1024) });
    const declared = await request.put(`${ORIGIN}/api/session/keys/cart`, {
      headers: { Origin: ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": uniqueClientIp() },
      data: big,
    });
    expect(declared.status()).toBe(413);
    expect(declared.headers()["set-cookie"]).toBeUndefined();
    // Streamed without a Content-Length: cut off at the limit.
    const streamed = await fetch(`${ORIGIN}/api/session/keys/cart`, {
      method: "PUT",
      headers: { Origin: ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": uniqueClientIp() },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(streamed.headers.get("set-cookie")).toBeNull();
    await request.dispose();
  });

  test("a full password queue answers 503 with Retry-After, never a 500 or a dropped connection", async ({
    playwright,
  }) => {
    const request = await playwright.request.newContext();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request.post(`${ORIGIN}/api/auth/login`, {
          headers: { Origin: ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": uniqueClientIp() },
          data: { email: `nobody-${i}@example.test`, password: "wrong password" },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status());
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    for (const response of responses.filter((r) => r.status() === 503)) {
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ error: "ServiceBusy" });
    }
    await request.dispose();
  });
});
