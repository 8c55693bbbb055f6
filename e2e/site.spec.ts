import { expect, test } from "./fixtures";

test("the site has an icon: /favicon.ico and the icon every page links answer 200", async ({ page, request }) => {
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/^image\//);

  await page.goto("/");
  const links = page.locator('head link[rel="icon"]');
  await expect(links.first()).toBeAttached();
  for (const href of await links.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute("href") ?? ""),
  )) {
    const icon = await request.get(href);
    expect(icon.status(), href).toBe(200);
    expect(icon.headers()["content-type"], href).toMatch(/^image\//);
  }
});

test("pages load without a console error", async ({ page, loggedInUser: _user }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  for (const path of [
    "/",
    "/dashboard",
    "/account",
    "/sessions",
    "/backends",
    "/how-it-works",
    "/lab/stolen-cookie",
    "/lab/race",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  expect(errors).toEqual([]);
});
