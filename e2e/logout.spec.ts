import { randomBytes } from "node:crypto";
import { BASE_URL } from "./env";
import { expect, test } from "./fixtures";

test("log out, and /dashboard then redirects to the login page", async ({ page, loggedInUser }) => {
  await page.goto("/dashboard");
  await expect(page.getByRole("main").getByText(loggedInUser.email)).toBeVisible();
  // The header has no room for a Django line: the button carries it as its description (and tooltip).
  await expect(page.getByRole("button", { name: "Log out" })).toHaveAccessibleDescription(
    "Django (Python): logout(request) # calls request.session.flush()",
  );
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login\?reason=logged_out/);
  await expect(page.getByText("You have logged out")).toBeVisible();
  await expect(page.getByText("logout(request) # calls request.session.flush()")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)dashboard$/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  // Other reasons for landing here carry no logout line.
  await expect(page.getByText("logout(request)")).toHaveCount(0);
});

test("at 360 px the header fits a long email: Log out stays on one line and nothing overflows", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  // Registered through the API, so the header shows an email far wider than the screen, with no hyphen to break at.
  const email = `first.middle.lastname.department.${randomBytes(6).toString("hex")}@averylongcompanydomain.example.test`;
  const registered = await page.request.post("/api/auth/register", {
    headers: { Origin: BASE_URL, "Content-Type": "application/json" },
    data: { email, password: "a perfectly fine passphrase" },
  });
  expect(registered.status()).toBe(201);
  await page.goto("/dashboard");
  const banner = page.getByRole("banner");
  await expect(banner.getByText(email)).toBeVisible();
  const logOut = banner.getByRole("button", { name: "Log out" });
  await expect(logOut).toBeInViewport({ ratio: 1 });

  // The lines the button's text is laid out on, counted from the text's own boxes.
  const lines = await logOut.evaluate((button) => {
    const range = document.createRange();
    range.selectNodeContents(button);
    return new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)))
      .size;
  });
  expect(lines).toBe(1);

  // Nothing in the header is wider than the screen, so the page never scrolls sideways.
  expect(await banner.evaluate((header) => header.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
