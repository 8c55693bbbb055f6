#!/usr/bin/env node
// `npm run db:migrate`: applies the pending migrations to the database DATABASE_URL names, SQLite or
// PostgreSQL, and says what it did. `npm install` migrates SQLite itself; a PostgreSQL server is
// migrated only here, once it is reachable. Run it from the project root, as npm does.
// A CommonJS module: plain Node.js sees its exports through the default import only.
import nextEnv from "@next/env";
import { DATABASE_NAMES, readDatabaseTarget } from "../lib/config/database.mjs";
import { ConfigError } from "../lib/config/parse.mjs";
import { applyMigrations, describePostgres, MigrationError } from "../lib/db/migrations.mjs";

/**
 * The database in a few words, never with its password.
 * @param {import("../lib/config/database.mjs").DatabaseTarget} target
 * @returns {string}
 */
function describe(target) {
  return target.kind === "sqlite"
    ? `${DATABASE_NAMES.sqlite} ${target.file}`
    : `${DATABASE_NAMES.postgresql} at ${describePostgres(target.url)}`;
}

try {
  // DATABASE_URL as the app reads it: the environment first, then .env.local and .env, as `next start`
  // and prisma.config.ts load them.
  const target = readDatabaseTarget(nextEnv.loadEnvConfig(process.cwd()).combinedEnv);
  const applied = await applyMigrations(target, (line) => console.log(`[sesame] ${line}`));
  console.log(
    applied.length > 0
      ? `[sesame] ${describe(target)}: ${applied.length} migration(s) applied.`
      : `[sesame] ${describe(target)} is up to date.`,
  );
} catch (error) {
  // A message meant for the person running the command; a stack trace would only hide it.
  if (!(error instanceof ConfigError || error instanceof MigrationError)) throw error;
  console.error(error instanceof ConfigError ? error.message : `[sesame] Cannot migrate: ${error.message}`);
  process.exit(1);
}
