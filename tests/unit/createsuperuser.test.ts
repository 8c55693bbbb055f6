import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authenticate, registerUser } from "@/lib/auth/users";
import { databaseTargetOf } from "@/lib/config/database.mjs";
import { childEnv } from "@/lib/config/tooling.mjs";
import { openDatabase, type Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const SECRET = "createsuperuser-test-secret-0123456789abcdefghij";
const PASSPHRASE = "a long admin passphrase";

describe("npm run createsuperuser", () => {
  // Migrated once, as `npm run db:migrate` does (the command checks Prisma's record of migrations),
  // then copied for each test.
  const dir = mkdtempSync(path.join(os.tmpdir(), "sesame-createsuperuser-"));
  const template = path.join(dir, "template.db");
  let test: { db: Database; file: string };

  beforeAll(async () => {
    await applyMigrations(databaseTargetOf(`file:${template}`));
  }, 60_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.db`);
    copyFileSync(template, file);
    test = { file, db: await openDatabase(`file:${file}`) };
  });

  afterEach(async () => {
    await test.db.$disconnect();
  });

  /** Runs the command in its own process, as a person would, against the test database. */
  function createsuperuser(args: string[], env: Record<string, string> = {}, input?: string) {
    return spawnSync(TSX, ["scripts/createsuperuser.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      input,
      env: childEnv({ SESSION_SECRET: SECRET, DATABASE_URL: `file:${test.file}`, BCRYPT_COST: "10", ...env }),
    });
  }

  const superuserFlag = async (email: string): Promise<boolean | undefined> =>
    (await test.db.user.findUnique({ where: { email }, select: { isSuperuser: true } }))?.isSuperuser;

  it("--no-input creates a superuser from SUPERUSER_EMAIL and SUPERUSER_PASSWORD, who can log in", async () => {
    const result = createsuperuser(["--no-input"], {
      SUPERUSER_EMAIL: " Admin@Example.test ",
      SUPERUSER_PASSWORD: PASSPHRASE,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("Superuser admin@example.test created successfully.");
    expect(await superuserFlag("admin@example.test")).toBe(true);
    expect((await authenticate(test.db, { email: "admin@example.test", password: PASSPHRASE }, 10)).ok).toBe(true);
  });

  it("promotes an existing account and leaves its password as it was", async () => {
    await registerUser(test.db, { email: "alice@example.test", password: "alice's own passphrase" }, 10);
    expect(await superuserFlag("alice@example.test")).toBe(false);
    const result = createsuperuser(["--no-input"], { SUPERUSER_EMAIL: "alice@example.test" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("alice@example.test already had an account: it is now a superuser");
    expect(await superuserFlag("alice@example.test")).toBe(true);
    const login = { email: "alice@example.test", password: "alice's own passphrase" };
    expect((await authenticate(test.db, login, 10)).ok).toBe(true);
  });

  it.each([
    [
      "a common password",
      { SUPERUSER_EMAIL: "b@example.test", SUPERUSER_PASSWORD: "password" },
      /one of the 10,000 most common/,
    ],
    ["a short password", { SUPERUSER_EMAIL: "b@example.test", SUPERUSER_PASSWORD: "short" }, /at least 8 characters/],
    [
      "a bad email",
      { SUPERUSER_EMAIL: "not-an-email", SUPERUSER_PASSWORD: PASSPHRASE },
      /SUPERUSER_EMAIL: Enter a valid email/,
    ],
    ["no email", { SUPERUSER_PASSWORD: PASSPHRASE }, /SUPERUSER_EMAIL must be set with --no-input/],
    ["no password for a new account", { SUPERUSER_EMAIL: "b@example.test" }, /SUPERUSER_PASSWORD must be set/],
  ])("--no-input refuses %s with the registration's words, and creates nothing", async (_label, env, message) => {
    const result = createsuperuser(["--no-input"], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await test.db.user.count()).toBe(0);
  });

  it("asks again, as Django does, after a bad email, a weak password or two that differ", async () => {
    const answers = [
      "not-an-email",
      "c@example.test",
      "short",
      "short",
      PASSPHRASE,
      `${PASSPHRASE} x`,
      PASSPHRASE,
      PASSPHRASE,
    ];
    const result = createsuperuser([], {}, `${answers.join("\n")}\n`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Superuser c@example.test created successfully.");
    expect(result.stdout).not.toContain(PASSPHRASE); // the password is never echoed
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([
      "Error: Enter a valid email address, like name@example.com.",
      "Error: Use at least 8 characters.",
      "Error: The two passwords didn't match.",
    ]);
    expect(await superuserFlag("c@example.test")).toBe(true);
  });

  it("refuses a database with migrations not yet applied, naming the command", () => {
    const result = createsuperuser(["--no-input"], {
      DATABASE_URL: `file:${path.join(dir, "empty.db")}`,
      SUPERUSER_EMAIL: "d@example.test",
      SUPERUSER_PASSWORD: PASSPHRASE,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not yet applied .*Run `npm run db:migrate`/);
  });
});
