import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTargetOf, type DatabaseTarget } from "@/lib/config/database.mjs";
import { childEnv } from "@/lib/config/tooling.mjs";
import {
  applyMigrations,
  DatabaseUnreachableError,
  MigrationError,
  migrationsFolder,
  pendingMigrations,
  PRISMA_MIGRATE_LOCK_ID,
} from "@/lib/db/migrations.mjs";
import { startPostgres, type ThrowawayPostgres } from "@/scripts/throwaway-postgres.mjs";

// Real databases only: a throwaway PostgreSQL for this file, and SQLite files in a temporary folder.

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const SECRET = "migrations-test-secret-0123456789abcdefghij";
/** For the tests that start the Prisma CLI or a server process: a few seconds each, more on a busy machine. */
const CLI_TIMEOUT = 60_000;

let postgres: ThrowawayPostgres;
let dir: string;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
  dir = mkdtempSync(path.join(os.tmpdir(), "sesame-migrations-"));
});
afterAll(() => {
  postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An empty database of each kind, new for every call. */
const EMPTY: Record<DatabaseTarget["kind"], () => Promise<DatabaseTarget>> = {
  sqlite: async () => databaseTargetOf(`file:${path.join(dir, `db${++databases}.db`)}`),
  postgresql: async () => databaseTargetOf(await postgres.createDatabase(`db${++databases}`)),
};

/** The migration folders as the files lie, read here rather than through the module under test. */
function migrationNames(kind: DatabaseTarget["kind"]): string[] {
  const folder = path.join(ROOT, "prisma", ...(kind === "postgresql" ? ["postgresql"] : []), "migrations");
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  started_at: unknown;
  logs: string | null;
  applied_steps_count: number;
}

/** Runs SQL on either database: the rows of a query, or the changes of a statement. */
async function query(target: DatabaseTarget, sql: string, params: unknown[] = []): Promise<Row[]> {
  if (target.kind === "sqlite") {
    const db = new Database(target.file);
    try {
      const statement = db.prepare(sql.replace(/\$\d+/g, "?"));
      return statement.reader ? (statement.all(...params) as Row[]) : (statement.run(...params), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const rowsOf = (target: DatabaseTarget): Promise<Row[]> =>
  query(target, "SELECT * FROM _prisma_migrations ORDER BY migration_name");

const sha256 = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe.each(["sqlite", "postgresql"] as const)("migrations on %s", (kind) => {
  const expected = migrationNames(kind);

  it(
    "lists every migration on an empty database, and none once applyMigrations has applied them",
    async () => {
      const target = await EMPTY[kind]();
      expect(expected.length).toBeGreaterThan(0);
      expect(await pendingMigrations(target)).toEqual(expected);
      const logged: string[] = [];
      expect(await applyMigrations(target, (line) => logged.push(line))).toEqual(expected);
      expect(logged).toEqual(expected.map((name) => `Applied ${name}`));
      expect(await pendingMigrations(target)).toEqual([]);
      // The tables exist: the last migration's table can be written to.
      await query(target, `INSERT INTO "RateLimit" ("key", "points") VALUES ('k', 1)`);
      expect(await query(target, `SELECT "points" FROM "RateLimit"`)).toEqual([{ points: 1 }]);
    },
    CLI_TIMEOUT,
  );

  it(
    "finds them pending on a database that exists but has no _prisma_migrations table",
    async () => {
      const target = await EMPTY[kind]();
      await query(target, `CREATE TABLE "Unrelated" ("id" INTEGER)`);
      expect(await pendingMigrations(target)).toEqual(expected);
    },
    CLI_TIMEOUT,
  );

  it(
    "applies nothing the second time: same rows, nothing logged",
    async () => {
      const target = await EMPTY[kind]();
      await applyMigrations(target);
      const before = await rowsOf(target);
      const logged: string[] = [];
      expect(await applyMigrations(target, (line) => logged.push(line))).toEqual([]);
      expect(logged).toEqual([]);
      expect(await rowsOf(target)).toEqual(before);
    },
    CLI_TIMEOUT,
  );

  it(
    "counts a migration rolled back since as pending",
    async () => {
      const target = await EMPTY[kind]();
      await applyMigrations(target);
      const last = expected.at(-1) ?? "";
      await query(target, "UPDATE _prisma_migrations SET rolled_back_at = finished_at WHERE migration_name = $1", [
        last,
      ]);
      expect(await pendingMigrations(target)).toEqual([last]);
    },
    CLI_TIMEOUT,
  );

  it(
    "refuses a migration edited after it was applied, naming it and its file",
    async () => {
      const target = await EMPTY[kind]();
      await applyMigrations(target);
      const [first] = expected;
      const rows = await rowsOf(target);
      // As if the file had been changed since: its checksum no longer matches the recorded one.
      await query(target, "UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2", [
        sha256("-- another script"),
        first,
      ]);
      const refusal = applyMigrations(target);
      await expect(refusal).rejects.toThrow(MigrationError);
      await expect(refusal).rejects.toThrow(
        `migration ${first} was edited after it was applied: ${path.join(path.relative(ROOT, migrationsFolder(kind)), first ?? "", "migration.sql")} no longer matches`,
      );
      expect((await rowsOf(target)).map((row) => row.id)).toEqual(rows.map((row) => row.id));
    },
    CLI_TIMEOUT,
  );

  it(
    "accepts a checksum Prisma recorded on a checkout with Windows line endings",
    async () => {
      const target = await EMPTY[kind]();
      await applyMigrations(target);
      const [first = ""] = expected;
      const script = readFileSync(path.join(migrationsFolder(kind), first, "migration.sql"), "utf8");
      await query(target, "UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2", [
        sha256(script.replaceAll("\n", "\r\n")),
        first,
      ]);
      expect(await applyMigrations(target)).toEqual([]);
    },
    CLI_TIMEOUT,
  );
});

describe("the PostgreSQL runner (prisma migrate deploy fails through the adapter, prisma/orm#27403)", () => {
  it("writes the rows Prisma writes: the file's SHA-256, finished, one step, a UUID", async () => {
    const target = await EMPTY.postgresql();
    const started = Date.now();
    await applyMigrations(target);
    const rows = await rowsOf(target);
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames("postgresql"));
    for (const row of rows) {
      const file = path.join(ROOT, "prisma", "postgresql", "migrations", row.migration_name, "migration.sql");
      expect(row.checksum).toBe(sha256(readFileSync(file)));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect((row.started_at as Date).getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect((row.finished_at as Date).getTime()).toBeGreaterThanOrEqual((row.started_at as Date).getTime());
    }
  });

  it("creates _prisma_migrations with exactly Prisma's columns and types", async () => {
    const target = await EMPTY.postgresql();
    await applyMigrations(target);
    const columns = await query(
      target,
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      {
        column_name: "id",
        data_type: "character varying",
        character_maximum_length: 36,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "checksum",
        data_type: "character varying",
        character_maximum_length: 64,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        character_maximum_length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        character_maximum_length: 255,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "logs",
        data_type: "text",
        character_maximum_length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        character_maximum_length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        character_maximum_length: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        character_maximum_length: null,
        is_nullable: "NO",
        column_default: "0",
      },
    ]);
  });

  it(
    "is read by Prisma's own `prisma migrate status` as up to date",
    async () => {
      const target = await EMPTY.postgresql();
      const status = (): SpawnSyncReturns<string> =>
        spawnSync(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "status"], {
          cwd: ROOT,
          encoding: "utf8",
          env: childEnv({ DATABASE_URL: target.url }),
        });
      expect(status().stdout).toContain("have not yet been applied");
      await applyMigrations(target);
      const after = status();
      expect(after.stdout).toContain("Database schema is up to date!");
      expect(after.status).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it("applies each migration once when several runs start together", async () => {
    const target = await EMPTY.postgresql();
    const runs = await Promise.all([1, 2, 3, 4].map(() => applyMigrations(target)));
    expect(runs.flat().sort()).toEqual(migrationNames("postgresql"));
    expect((await rowsOf(target)).map((row) => row.migration_name)).toEqual(migrationNames("postgresql"));
  });

  it("waits while another run holds Prisma's migration lock, then applies", async () => {
    const target = await EMPTY.postgresql();
    const holder = new pg.Client({ connectionString: target.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
      let done = false;
      const run = applyMigrations(target).finally(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      expect(await pendingMigrations(target)).toEqual(migrationNames("postgresql"));
      await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]);
      expect(await run).toEqual(migrationNames("postgresql"));
    } finally {
      await holder.end();
    }
  });

  it("rolls a failing migration back whole and records nothing", async () => {
    const target = await EMPTY.postgresql();
    // The init migration creates "User" first and "Session" after: this makes it fail half-way.
    await query(target, `CREATE TABLE "Session" ("id" TEXT)`);
    const [init] = migrationNames("postgresql");
    await expect(applyMigrations(target)).rejects.toThrow(
      `migration ${init} failed, and nothing of it was applied: relation "Session" already exists.`,
    );
    expect(await query(target, `SELECT to_regclass('"User"') AS "table"`)).toEqual([{ table: null }]);
    expect(await rowsOf(target)).toEqual([]);
  });

  it("says which server cannot be reached, without the password", async () => {
    const port = await closedPort();
    const target = databaseTargetOf(`postgresql://sesame:hunter2@127.0.0.1:${port}/sesame`);
    for (const attempt of [pendingMigrations, applyMigrations]) {
      const error: unknown = await attempt(target).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      expect((error as Error).message).toBe(
        `PostgreSQL at 127.0.0.1:${port} (database "sesame") is unreachable: connection refused.`,
      );
      expect((error as Error).message).not.toContain("hunter2");
    }
  });

  it("says so when the server answers but refuses the connection", async () => {
    const target = databaseTargetOf(`postgresql://postgres@127.0.0.1:${postgres.port}/no_such_database`);
    await expect(pendingMigrations(target)).rejects.toThrow(
      `PostgreSQL at 127.0.0.1:${postgres.port} (database "no_such_database") refused the connection: database "no_such_database" does not exist.`,
    );
  });
});

describe("SQLite", () => {
  it("leaves a missing file uncreated when it only checks what is pending", async () => {
    const target = await EMPTY.sqlite();
    expect(await pendingMigrations(target)).toEqual(migrationNames("sqlite"));
    expect(readdirSync(dir)).not.toContain(path.basename(target.kind === "sqlite" ? target.file : ""));
  });

  it("names a file that is not a database instead of throwing better-sqlite3's error", async () => {
    const file = path.join(dir, "not-a-database.db");
    writeFileSync(
      file,
      "this is not a SQLite database, but it is long enough to have a header of 100 bytes or more.\n",
    );
    const target = databaseTargetOf(`file:${file}`);
    const error: unknown = await pendingMigrations(target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toBe(`SQLite cannot read ${file}: file is not a database.`);
  });

  it("names a missing folder instead of Prisma's 'External error'", async () => {
    const target = databaseTargetOf(`file:${path.join(dir, "missing", "sesame.db")}`);
    await expect(applyMigrations(target)).rejects.toThrow(
      `SQLite cannot create ${path.join(dir, "missing", "sesame.db")}: the folder ${path.join(dir, "missing")} does not exist.`,
    );
  });
});

/** Runs a command from the project root with DATABASE_URL set; resolves with its exit code and output. */
function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: childEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("npm run db:migrate (scripts/db-migrate.mjs)", () => {
  const migrate = (DATABASE_URL: string): ReturnType<typeof run> =>
    run(process.execPath, [path.join("scripts", "db-migrate.mjs")], { DATABASE_URL });

  it(
    "migrates the PostgreSQL DATABASE_URL names, once even when two runs start together, then says it is up to date",
    async () => {
      const target = await EMPTY.postgresql();
      const [first, second] = await Promise.all([migrate(target.url), migrate(target.url)]);
      expect([first?.status, second?.status]).toEqual([0, 0]);
      const output = `${first?.stdout}${second?.stdout}`;
      for (const name of migrationNames("postgresql"))
        expect(output.split("\n").filter((line) => line === `[sesame] Applied ${name}`)).toHaveLength(1);
      expect(await pendingMigrations(target)).toEqual([]);
      const again = await migrate(target.url);
      expect(again.status).toBe(0);
      expect(again.stdout.trim()).toMatch(
        /^\[sesame\] PostgreSQL at 127\.0\.0\.1:\d+ \(database "db\d+"\) is up to date\.$/,
      );
    },
    CLI_TIMEOUT,
  );

  it(
    "migrates a SQLite DATABASE_URL",
    async () => {
      const target = await EMPTY.sqlite();
      const result = await migrate(target.url);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(
        `[sesame] SQLite ${path.join(dir, `db${databases}.db`)}: ${migrationNames("sqlite").length} migration(s) applied.`,
      );
      expect(await pendingMigrations(target)).toEqual([]);
    },
    CLI_TIMEOUT,
  );

  it(
    "exits 1 with one line naming an unreachable server, and a ConfigError's own message",
    async () => {
      const port = await closedPort();
      const unreachable = await migrate(`postgresql://sesame@127.0.0.1:${port}/sesame`);
      expect(unreachable.status).toBe(1);
      expect(unreachable.stderr.trim()).toBe(
        `[sesame] Cannot migrate: PostgreSQL at 127.0.0.1:${port} (database "sesame") is unreachable: connection refused.`,
      );
      const invalid = await migrate("mysql://localhost/sesame");
      expect(invalid.status).toBe(1);
      expect(invalid.stderr).toContain("DATABASE_URL: must be a SQLite file URL");
      expect(invalid.stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TIMEOUT,
  );
});

describe("the server's start-up check (checkMigrationsOrExit, from instrumentation.ts)", () => {
  /** What instrumentation.ts runs when the server starts, in a fresh process. */
  const start = (DATABASE_URL: string): ReturnType<typeof run> =>
    run(
      TSX,
      [
        "-e",
        "import('./lib/startup.ts').then(async (m) => { m.checkConfigurationOrExit(); await m.checkMigrationsOrExit(); console.log('started'); })",
      ],
      { DATABASE_URL, SESSION_SECRET: SECRET },
    );

  it(
    "refuses a database with pending migrations, naming them and the command, with no stack trace",
    async () => {
      const target = await EMPTY.postgresql();
      const names = migrationNames("postgresql");
      const refused = await start(target.url);
      expect(refused.status).toBe(1);
      expect(refused.stdout).not.toContain("started");
      expect(refused.stderr.trim()).toBe(
        `The database has ${names.length} migration(s) not yet applied (${names.join(", ")}). Run \`npm run db:migrate\`, then start Sesame again.`,
      );
      await applyMigrations(target);
      const started = await start(target.url);
      expect(started.stderr).toBe("");
      expect(started.stdout).toContain("started");
      expect(started.status).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    "refuses a SQLite file that lacks the newest migration",
    async () => {
      const target = await EMPTY.sqlite();
      await applyMigrations(target);
      const last = migrationNames("sqlite").at(-1);
      await query(target, "DELETE FROM _prisma_migrations WHERE migration_name = $1", [last]);
      const refused = await start(target.url);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`The database has 1 migration(s) not yet applied (${last}).`);
    },
    CLI_TIMEOUT,
  );

  it(
    "refuses an unreachable PostgreSQL in one line",
    async () => {
      const port = await closedPort();
      const refused = await start(`postgresql://sesame@127.0.0.1:${port}/sesame`);
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `Sesame cannot start: PostgreSQL at 127.0.0.1:${port} (database "sesame") is unreachable: connection refused.`,
      );
    },
    CLI_TIMEOUT,
  );
});
