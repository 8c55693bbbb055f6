import { E2E_PORT } from "./env";
import { COOKIE_NAME, expect, findSessionRow, test } from "./fixtures";
import { useSecondServer } from "./second-server";

// A second server on the same build and database, this time with TRUST_PROXY off, as a
// deployment without a reverse proxy runs: the client's X-Forwarded-For must count for nothing.
const ORIGIN = useSecondServer(E2E_PORT + 1, { TRUST_PROXY: "0" });

test("a spoofed X-Forwarded-For does not reset the registration counter", async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: ORIGIN });
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const response = await request.post("/api/auth/register", {
      headers: { Origin: ORIGIN, "Content-Type": "application/json", "X-Forwarded-For": `203.0.113.${i + 1}` },
      data: { email: `spoof-${Date.now()}-${i}@example.test`, password: "a perfectly fine passphrase" },
    });
    statuses.push(response.status());
  }
  // Every request came from this machine's socket; the invented addresses changed nothing.
  expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(10);
  expect(statuses.at(-1)).toBe(429);
  expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);

  // And the session records the socket's address, not the claimed one.
  const cookie = (await request.storageState()).cookies.find((c) => c.name === COOKIE_NAME);
  const row = await findSessionRow(cookie?.value ?? "");
  expect(row?.ip).toMatch(/127\.0\.0\.1|::1/);
  await request.dispose();
});
