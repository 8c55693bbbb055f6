// The first step of the end-to-end server's command (playwright.config.ts): a fresh, migrated
// throwaway database for every run. It runs there rather than in a Playwright global set-up,
// because Playwright starts its web server before the global set-up, and the server refuses to
// start on a database with migrations pending.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { databaseTargetOf } from "../lib/config/database.mjs";
import { applyMigrations } from "../lib/db/migrations.mjs";

// The URL comes as an argument: only lib/config reads the environment.
const target = databaseTargetOf(process.argv[2] ?? "");
const throwaway = path.resolve(import.meta.dirname, ".tmp");
const folder = target.kind === "sqlite" ? path.dirname(path.resolve(target.file)) : "";
// Only ever a folder under e2e/.tmp: this deletes it.
if (!folder.startsWith(`${throwaway}${path.sep}`)) {
  console.error(`e2e/prepare-database.mjs: give it the URL of a SQLite file under ${throwaway}`);
  process.exit(1);
}
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
await applyMigrations(target);
