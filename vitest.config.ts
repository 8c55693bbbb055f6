import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    // Timing runs alone afterwards (vitest.timing.config.ts): other files' bcrypt work skews it.
    exclude: ["tests/unit/timing.test.ts", "**/node_modules/**"],
    environment: "node",
    // bcrypt at the real cost takes a few hundred milliseconds per hash.
    testTimeout: 20_000,
  },
});
