import { defineConfig, devices } from "@playwright/test";
import { BASE_URL, E2E_BCRYPT_COST, E2E_DATABASE_URL, E2E_PORT, E2E_SESSION_SECRET } from "./e2e/env";
import { getTooling } from "./lib/config/tooling.mjs";

/** Debian's Chromium by default (PLAYWRIGHT_CHROMIUM_PATH for other machines). */
const { chromiumPath: executablePath, ci } = getTooling();

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: ci ? 2 : undefined,
  forbidOnly: ci,
  reporter: ci ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath,
      args: [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // The production build, against a throwaway database made and migrated first.
    command: `node e2e/prepare-database.mjs ${JSON.stringify(E2E_DATABASE_URL)} && npx next build && node server.mjs`,
    url: `${BASE_URL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: E2E_DATABASE_URL,
      SESSION_SECRET: E2E_SESSION_SECRET,
      BCRYPT_COST: String(E2E_BCRYPT_COST),
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(E2E_PORT),
      // As behind a real reverse proxy: each test presents its own client address in
      // X-Forwarded-For, so per-address rate limits never leak from one test into another.
      TRUST_PROXY: "1",
    },
  },
});
