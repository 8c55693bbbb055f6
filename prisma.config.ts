import path from "node:path";
import { loadEnvConfig } from "@next/env";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { getDatabaseTarget } from "./lib/config/env";
import { orExit } from "./lib/config/parse.mjs";

// Read .env and .env.local the way `next start` does, so the CLI and the app agree on DATABASE_URL.
loadEnvConfig(process.cwd());

// A Prisma schema names one provider, so DATABASE_URL picks the schema and the migrations as well as
// the adapter. `prisma generate --schema …` (scripts/setup.mjs generates both clients) overrides the
// schema chosen here; the migrations folder and the adapter still follow DATABASE_URL.
const target = orExit(getDatabaseTarget);
const folder = target.kind === "postgresql" ? path.join("prisma", "postgresql") : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(folder, "schema.prisma"),
  migrations: { path: path.join(folder, "migrations") },
  async adapter() {
    // PostgreSQL's `prisma migrate deploy` fails through this adapter (prisma/orm#27403): use
    // `npm run db:migrate`, whose runner is in lib/db/migrations.mjs. Studio and the rest work. The
    // short idle timeout lets a command end when it is done: pg's default keeps the pool, and so the
    // CLI, waiting 10 seconds after `prisma migrate status` has answered.
    return target.kind === "postgresql"
      ? new PrismaPg({ connectionString: target.url, idleTimeoutMillis: 500 })
      : new PrismaBetterSQLite3({ url: target.url });
  },
});
