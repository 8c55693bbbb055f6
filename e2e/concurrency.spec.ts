import { BASE_URL } from "./env";
import { COOKIE_NAME, expect, findSessionRow, test, uniqueClientIp } from "./fixtures";

const JSON_HEADERS = { Origin: BASE_URL, "Content-Type": "application/json" };

function sessionCookie(setCookies: { name: string; value: string }[]): string | undefined {
  const header = setCookies.find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith(`${COOKIE_NAME}=`));
  return header?.value.split(";")[0]?.slice(COOKIE_NAME.length + 1);
}

test("20 parallel registrations of one email give exactly one account", async ({ request }) => {
  const email = `race-${Date.now()}@example.test`;
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      request.post("/api/auth/register", {
        headers: { ...JSON_HEADERS, "X-Forwarded-For": uniqueClientIp() },
        data: { email, password: "a race-proof passphrase" },
      }),
    ),
  );
  const statuses = responses.map((r) => r.status()).sort();
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(19);
});

test("20 parallel logins for one account each get a distinct, valid session", async ({ request, user }) => {
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      request.post("/api/auth/login", {
        headers: { ...JSON_HEADERS, "X-Forwarded-For": uniqueClientIp() },
        data: { email: user.email, password: user.password },
      }),
    ),
  );
  expect(responses.map((r) => r.status())).toEqual(Array(20).fill(200));
  const cookies = responses.map((r) => sessionCookie(r.headersArray()));
  expect(new Set(cookies).size).toBe(20);
  for (const cookie of cookies)
    expect(await findSessionRow(cookie as string)).toEqual(expect.objectContaining({ userId: user.id }));
});

test("logout racing other requests never crashes and never resurrects the session", async ({ request, user }) => {
  const login = await request.post("/api/auth/login", {
    headers: { ...JSON_HEADERS, "X-Forwarded-For": uniqueClientIp() },
    data: { email: user.email, password: user.password },
  });
  const cookie = sessionCookie(login.headersArray()) as string;
  const withCookie = { ...JSON_HEADERS, Cookie: `${COOKIE_NAME}=${cookie}` };
  const racing = await Promise.all([
    ...Array.from({ length: 10 }, (_, i) =>
      request.put(`/api/session/keys/k${i}`, { headers: withCookie, data: { value: i } }),
    ),
    request.post("/api/auth/logout", { headers: withCookie, data: {} }),
    ...Array.from({ length: 10 }, () => request.get("/api/session", { headers: withCookie })),
  ]);
  for (const response of racing) expect(response.status()).toBeLessThan(500);
  expect(await findSessionRow(cookie)).toBeNull();
  const after = await request.get("/api/session", { headers: withCookie });
  expect(((await after.json()) as { authenticated: boolean }).authenticated).toBe(false);
});
