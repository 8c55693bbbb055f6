import path from "node:path";
import { defineConfig } from "vitest/config";

/** The login-timing test, alone on the machine's cores, after the rest of the unit suite. */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: { include: ["tests/unit/timing.test.ts"], environment: "node", fileParallelism: false },
});
