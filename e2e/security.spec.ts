import type { APIRequestContext, APIResponse } from "@playwright/test";
import { BASE_URL } from "./env";
import { COOKIE_NAME, expect, findSessionRow, sealer, test, uniqueClientIp } from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

function sessionCookieFrom(response: APIResponse): string | undefined {
  const header = response
    .headersArray()
    .find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith(`${COOKIE_NAME}=`));
  return header?.value;
}

function cookieValue(setCookie: string | undefined): string {
  return setCookie?.split(";")[0]?.split("=").slice(1).join("=") ?? "";
}

async function apiLogin(
  request: APIRequestContext,
  email: string,
  password: string,
  ip = uniqueClientIp(),
): Promise<APIResponse> {
  return request.post("/api/auth/login", {
    headers: { ...JSON_HEADERS, "X-Forwarded-For": ip },
    data: { email, password },
  });
}

async function whoAmI(request: APIRequestContext, cookie: string): Promise<{ authenticated: boolean }> {
  const response = await request.get("/api/session", { headers: { Cookie: `${COOKIE_NAME}=${cookie}` } });
  expect(response.status()).toBe(200);
  return (await response.json()) as { authenticated: boolean };
}

test.describe("headers", () => {
  test("pages carry a nonce-based CSP and the other security headers", async ({ request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const csp = first.headers()["content-security-policy"] ?? "";
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers()["content-security-policy"]).not.toContain(nonce);
    // Next.js put the nonce on its own scripts.
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    expect(first.headers()["x-content-type-options"]).toBe("nosniff");
    expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(first.headers()["x-powered-by"]).toBeUndefined();
    // Plain http: HSTS would be meaningless and is not sent.
    expect(first.headers()["strict-transport-security"]).toBeUndefined();
  });

  test("pages run under the CSP without violations", async ({ page, loggedInUser: _user }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    for (const path of ["/", "/dashboard", "/login"]) await page.goto(path);
    await page.goto("/");
    await expect(page.getByTestId("visit-count")).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("a logged-in user's pages and API answers are never cached", async ({ page, loggedInUser: _user }) => {
    const dashboard = await page.request.get("/dashboard");
    expect(dashboard.headers()["cache-control"]).toContain("no-store");
    const api = await page.request.get("/api/session");
    expect(api.headers()["cache-control"]).toContain("no-store");
  });

  test("a request carrying x-middleware-subrequest is refused", async ({ request }) => {
    const response = await request.get("/dashboard", {
      headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(400);
  });
});

test.describe("cookies and tokens", () => {
  test("the login cookie is HttpOnly, SameSite=Lax, Path=/ and carries no user data", async ({ request, user }) => {
    const response = await apiLogin(request, user.email, user.password);
    expect(response.status()).toBe(200);
    const setCookie = sessionCookieFrom(response) ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(setCookie).toMatch(/Path=\//);
    const value = cookieValue(setCookie);
    expect(value).not.toContain(user.email);
    expect(value).not.toContain(user.id);
    expect(value).not.toContain(encodeURIComponent(user.email));
    expect(Buffer.byteLength(`${COOKIE_NAME}=${value}`)).toBeLessThanOrEqual(4096);
    // Inside the seal is only a 256-bit random token.
    expect(await sealer.unseal(value)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("the session id is accepted from the cookie only, never the URL or the body", async ({ request, user }) => {
    const cookie = cookieValue(sessionCookieFrom(await apiLogin(request, user.email, user.password)));
    const fromQuery = await request.get(
      `/api/session?${COOKIE_NAME}=${encodeURIComponent(cookie)}&session=${encodeURIComponent(cookie)}`,
      {
        headers: { Cookie: "" },
      },
    );
    expect(((await fromQuery.json()) as { authenticated: boolean }).authenticated).toBe(false);
    const fromBody = await request.put("/api/session/keys/x", {
      headers: { ...JSON_HEADERS, Cookie: "" },
      data: { value: 1, [COOKIE_NAME]: cookie, session: cookie },
    });
    expect(fromBody.status()).toBe(200);
    const issued = cookieValue(sessionCookieFrom(fromBody));
    expect(issued).not.toBe(cookie); // a new anonymous session, not the logged-in one
    expect(await whoAmI(request, issued)).toEqual(expect.objectContaining({ authenticated: false }));
  });

  test("forged, tampered, foreign-secret, oversized and doubled cookies are never adopted", async ({
    request,
    user,
  }) => {
    const good = cookieValue(sessionCookieFrom(await apiLogin(request, user.email, user.password)));
    expect((await whoAmI(request, good)).authenticated).toBe(true);

    const tampered = good.slice(0, 20) + (good[20] === "A" ? "B" : "A") + good.slice(21);
    const { createTokenSealer } = await import("../lib/session/sealer");
    const foreign = await createTokenSealer(["a-completely-different-secret-0123456789abcdef"]).seal(
      (await sealer.unseal(good)) as string,
    );
    for (const bad of [tampered, foreign, "Fe26.2**garbage", "x".repeat(5000), ""]) {
      const response = await request.get("/api/session", { headers: { Cookie: `${COOKIE_NAME}=${bad}` } });
      expect(response.status()).toBe(200);
      expect(((await response.json()) as { authenticated: boolean }).authenticated).toBe(false);
    }
    // A rejected cookie is cleared.
    const rejected = await request.get("/api/session", { headers: { Cookie: `${COOKIE_NAME}=${tampered}` } });
    expect(sessionCookieFrom(rejected)).toMatch(/Max-Age=0/);

    const doubled = await request.get("/api/session", {
      headers: { Cookie: `${COOKIE_NAME}=${good}; ${COOKIE_NAME}=${good}` },
    });
    expect(((await doubled.json()) as { authenticated: boolean }).authenticated).toBe(false);
  });

  test("the key rotates at login, and the pre-login cookie opens nothing afterwards", async ({ request, user }) => {
    const anonymous = await request.put("/api/session/keys/cart", { headers: JSON_HEADERS, data: { value: [1] } });
    const before = cookieValue(sessionCookieFrom(anonymous));
    const login = await request.post("/api/auth/login", {
      headers: { ...JSON_HEADERS, Cookie: `${COOKIE_NAME}=${before}` },
      data: { email: user.email, password: user.password },
    });
    const after = cookieValue(sessionCookieFrom(login));
    expect(after).not.toBe(before);
    expect(await findSessionRow(before)).toBeNull();
    expect(await findSessionRow(after)).toEqual(expect.objectContaining({ userId: user.id }));
    expect((await whoAmI(request, before)).authenticated).toBe(false);
  });

  test("after logout the row is gone, replaying the cookie gets nothing, and Clear-Site-Data is sent", async ({
    request,
    user,
  }) => {
    const cookie = cookieValue(sessionCookieFrom(await apiLogin(request, user.email, user.password)));
    expect(await findSessionRow(cookie)).not.toBeNull();
    const logout = await request.post("/api/auth/logout", {
      headers: { ...JSON_HEADERS, Cookie: `${COOKIE_NAME}=${cookie}` },
      data: {},
    });
    expect(logout.status()).toBe(204);
    expect(logout.headers()["clear-site-data"]).toBe('"cache", "cookies", "storage"');
    expect(sessionCookieFrom(logout)).toMatch(/Max-Age=0/);
    expect(await findSessionRow(cookie)).toBeNull();
    expect((await whoAmI(request, cookie)).authenticated).toBe(false);
  });

  test("pressing Back after logout shows no account data", async ({ page, loggedInUser }) => {
    await page.goto("/");
    await page.goto("/dashboard");
    await expect(page.getByRole("main").getByText(loggedInUser.email)).toBeVisible();
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goBack();
    await expect(page.locator("body")).not.toContainText(loggedInUser.email);
    await page.goForward().catch(() => undefined);
    await page.goBack().catch(() => undefined);
    await expect(page.locator("body")).not.toContainText(loggedInUser.email);
  });
});

test.describe("CSRF", () => {
  const refusals: [string, Record<string, string>][] = [
    ["a foreign Origin", { Origin: "https://evil.example", "Content-Type": "application/json" }],
    ["Origin: null", { Origin: "null", "Content-Type": "application/json" }],
    ["a look-alike Origin", { Origin: `${BASE_URL}.evil.com`, "Content-Type": "application/json" }],
    [
      "Sec-Fetch-Site: cross-site",
      { Origin: BASE_URL, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json" },
    ],
    ["a foreign Referer and no Origin", { Referer: "https://evil.example/page", "Content-Type": "application/json" }],
    ["neither Origin nor Referer", { "Content-Type": "application/json" }],
  ];
  for (const [name, headers] of refusals) {
    test(`state-changing API requests with ${name} are refused`, async ({ request, user }) => {
      for (const [method, path, data] of [
        ["POST", "/api/auth/login", { email: user.email, password: user.password }],
        ["PUT", "/api/session/keys/x", { value: 1 }],
        ["POST", "/api/auth/logout", {}],
      ] as const) {
        const response = await request.fetch(path, { method, headers, data });
        expect(response.status(), `${method} ${path}`).toBe(403);
        expect(sessionCookieFrom(response)).toBeUndefined();
      }
    });
  }

  test("a cross-site text/plain JSON post fails, even with a matching Origin", async ({ request, user }) => {
    const response = await request.post("/api/auth/login", {
      headers: { Origin: BASE_URL, "Content-Type": "text/plain" },
      data: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(response.status()).toBe(415);
  });

  test("same-origin requests identified only by Referer are accepted", async ({ request, user }) => {
    const response = await request.post("/api/auth/login", {
      headers: {
        Referer: `${BASE_URL}/login`,
        "Content-Type": "application/json",
        "X-Forwarded-For": uniqueClientIp(),
      },
      data: { email: user.email, password: user.password },
    });
    expect(response.status()).toBe(200);
  });

  test("server actions posted with Origin: https://evil.example or null are refused", async ({ page, user }) => {
    // Capture the browser's real server-action request, then replay it with a forged Origin.
    const captured = new Promise<{ headers: Record<string, string>; body: Buffer | null }>((resolve) => {
      void page.route("**/login**", async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        resolve({ headers: route.request().headers(), body: route.request().postDataBuffer() });
        return route.abort();
      });
    });
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    const { headers, body } = await captured;
    expect(headers["next-action"]).toBeTruthy();

    const replay = (origin: string): Promise<APIResponse> =>
      page.request.post("/login", { headers: { ...headers, origin }, data: body ?? "", maxRedirects: 0 });
    for (const origin of ["https://evil.example", "null"]) {
      const response = await replay(origin);
      expect(response.status(), origin).toBe(403);
      expect(sessionCookieFrom(response), origin).toBeUndefined();
    }
    // The same request from our own origin works, so the refusals above are the Origin check's doing.
    const genuine = await replay(BASE_URL);
    expect(genuine.status()).toBeLessThan(400);
    expect(sessionCookieFrom(genuine)).toBeDefined();
  });
});

test.describe("redirects", () => {
  const vectors = [
    "//example.com",
    "///example.com",
    "http:///example.com",
    "\\\\example.com",
    "/\\example.com",
    "http:\\\\testserver\\@example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "\x08//example.com",
    "http:999999999",
    "/%5C/evil.com",
    "/..%2F..%2Fevil.com",
    "data:text/html,<script>alert(1)</script>",
    "malicious.com?.example.com",
  ];

  test("every hostile ?next= falls back to /dashboard on the login form", async ({ page }) => {
    for (const vector of vectors) {
      await page.goto(`/login?next=${encodeURIComponent(vector)}`);
      await expect(page.locator('input[name="next"]'), vector).toHaveValue("/dashboard");
    }
    await page.goto(`/login?next=${encodeURIComponent("/dashboard?x=1")}`);
    await expect(page.locator('input[name="next"]')).toHaveValue("/dashboard?x=1");
  });
});

test.describe("authentication", () => {
  test("an unknown email and a wrong password get identical answers", async ({ request, user }) => {
    const ip = uniqueClientIp();
    const wrong = await apiLogin(request, user.email, "not-the-password", ip);
    const unknown = await apiLogin(request, `nobody-${user.id}@example.test`, "not-the-password", ip);
    expect(wrong.status()).toBe(401);
    expect(unknown.status()).toBe(wrong.status());
    expect(await unknown.text()).toBe(await wrong.text());
    const strip = (r: APIResponse): Record<string, string> => {
      const { date: _date, ...rest } = r.headers();
      return rest;
    };
    expect(strip(unknown)).toEqual(strip(wrong));
  });

  test("the 11th failed login for an account from one address gets 429 with Retry-After", async ({ request, user }) => {
    const ip = uniqueClientIp();
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await apiLogin(request, user.email, `wrong-${attempt}`, ip)).status()).toBe(401);
    }
    const eleventh = await apiLogin(request, user.email, "wrong-11", ip);
    expect(eleventh.status()).toBe(429);
    expect(Number(eleventh.headers()["retry-after"])).toBeGreaterThan(0);
    // Even the right password waits, from that address, for one window (hostile-load.spec.ts: the owner elsewhere does not).
    expect((await apiLogin(request, user.email, user.password, ip)).status()).toBe(429);
  });

  test("a correct login is not blocked by failures on other accounts from other addresses", async ({
    request,
    user,
  }) => {
    const { createUser } = await import("./fixtures");
    const victim = await createUser();
    for (let attempt = 1; attempt <= 12; attempt++) await apiLogin(request, victim.email, `wrong-${attempt}`);
    expect((await apiLogin(request, user.email, user.password)).status()).toBe(200);
  });

  test("a burst of registrations from one address gets 429", async ({ request }) => {
    const ip = uniqueClientIp();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await request.post("/api/auth/register", {
        headers: { ...JSON_HEADERS, "X-Forwarded-For": ip },
        data: { email: `burst-${i}-${ip.replace(/\./g, "-")}@example.test`, password: "a perfectly fine passphrase" },
      });
      statuses.push(response.status());
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  test("common passwords are refused with a clear message", async ({ request }) => {
    const response = await request.post("/api/auth/register", {
      headers: JSON_HEADERS,
      data: { email: `common-${Date.now()}@example.test`, password: "iloveyou1" },
    });
    expect(response.status()).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("10,000 most common");
  });
});
