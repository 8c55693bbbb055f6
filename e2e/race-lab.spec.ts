import type { Page } from "@playwright/test";
import { E2E_PORT } from "./env";
import { expect, test } from "./fixtures";
import { useSecondServer } from "./second-server";

// The race lab under the default engine (the normal test server, db), whose saves merge, and under
// SESSION_ENGINE=cookie, where the browser keeps the last cookie: a second server as lab.spec.ts starts one.
const COOKIE_ORIGIN = useSecondServer(E2E_PORT + 11, { TRUST_PROXY: "1", SESSION_ENGINE: "cookie" });

const timeline = (page: Page) => page.getByRole("table", { name: /^Timeline of the writes/ });
const result = (page: Page) => page.getByRole("status", { name: "Race result" });

/** The writes the timeline lists: its rows headed by a key. */
const timelineRows = (page: Page) =>
  timeline(page)
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader") });

test("under db, every one of 20 parallel writes survives", async ({ page }) => {
  await page.goto("/lab/race");
  await expect(page.getByRole("heading", { level: 1, name: "Race lab" })).toBeVisible();
  await expect(page).toHaveTitle(/Race lab/);
  await expect(page.getByText("SESSION_ENGINE=db")).toBeVisible();
  await expect(page.getByLabel("Parallel writes")).toHaveValue("20");

  await page.getByRole("button", { name: "Run the race" }).click();
  await expect(result(page)).toContainText("20 of 20 writes survived.");
  await expect(result(page)).toContainText("IMMEDIATE transaction");
  await expect(timelineRows(page)).toHaveCount(20);
  await expect(timeline(page).getByRole("rowheader", { name: "race-20", exact: true })).toBeVisible();
  await expect(timeline(page).getByRole("cell", { name: "Lost" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Run the race" })).toBeEnabled();
});

test("a second, smaller race clears the first one's keys, so its count is its own", async ({ page }) => {
  await page.goto("/lab/race");
  await page.getByRole("button", { name: "Run the race" }).click();
  await expect(result(page)).toContainText("20 of 20 writes survived.");

  await page.getByLabel("Parallel writes").fill("5");
  await page.getByRole("button", { name: "Run the race" }).click();
  await expect(result(page)).toContainText("5 of 5 writes survived.");
  await expect(timelineRows(page)).toHaveCount(5);

  const session = (await (await page.request.get("/api/session")).json()) as { session: { data: object } };
  expect(Object.keys(session.session.data).sort()).toEqual(["race", "race-1", "race-2", "race-3", "race-4", "race-5"]);
});

test("under cookie, most parallel writes are lost: the browser keeps the last cookie", async ({ page }) => {
  await page.goto(`${COOKIE_ORIGIN}/lab/race`);
  await expect(page.getByText("SESSION_ENGINE=cookie")).toBeVisible();
  await page.getByRole("button", { name: "Run the race" }).click();
  await expect(result(page)).toContainText(/\d+ of 20 writes survived\./);
  const survived = Number(/(\d+) of 20 writes survived/.exec((await result(page).textContent()) ?? "")?.[1]);
  expect(survived).toBeGreaterThanOrEqual(1);
  expect(survived).toBeLessThan(20);
  await expect(result(page)).toContainText("the browser keeps the last one it receives");
  await expect(timelineRows(page)).toHaveCount(20);
  await expect(timeline(page).getByRole("cell", { name: "Lost" })).toHaveCount(20 - survived);
});

for (const bad of ["0", "500"]) {
  test(`${bad} parallel writes gets a clear message and fires nothing`, async ({ page }) => {
    const apiCalls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/session")) apiCalls.push(request.url());
    });
    await page.goto("/lab/race");
    const input = page.getByLabel("Parallel writes");
    await input.fill(bad);
    await page.getByRole("button", { name: "Run the race" }).click();
    await expect(
      page.getByText(`Choose a whole number of parallel writes from 2 to 50. ${bad} is out of range.`),
    ).toBeVisible();
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(timeline(page)).toHaveCount(0);
    await expect(result(page)).toHaveText("");
    expect(apiCalls).toEqual([]);
  });
}
