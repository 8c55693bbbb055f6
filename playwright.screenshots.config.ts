import "./scripts/screenshots/port";
import { defineConfig } from "@playwright/test";
import e2eConfig from "./playwright.config";

/**
 * `npm run screenshots`: the README's screenshots, taken the way the end-to-end tests run the app
 * (production build, throwaway migrated database, Debian Chromium or PLAYWRIGHT_CHROMIUM_PATH).
 * A separate config, so `npm test` never runs it. The PNGs land in docs/screenshots/.
 */
export default defineConfig({
  ...e2eConfig,
  testDir: "scripts/screenshots",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    ...e2eConfig.use,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: "light",
    trace: "off",
  },
});
