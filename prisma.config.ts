import path from "node:path";
import { loadEnvConfig } from "@next/env";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { getDatabaseUrl } from "./lib/config/env";
import { orExit } from "./lib/config/parse.mjs";

// Read .env and .env.local the way `next start` does, so the CLI and the app agree on DATABASE_URL.
loadEnvConfig(process.cwd());

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: orExit(getDatabaseUrl) });
  },
});
