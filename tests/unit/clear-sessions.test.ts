import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { childEnv } from "@/lib/config/tooling.mjs";
import { FileSessionStore } from "@/lib/session/backends/file";
import { Session, type SessionContext } from "@/lib/session/session";
import type { SessionStore } from "@/lib/session/store";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { CONTRACT_POLICY, TEST_SEALER } from "./support/store-contract";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The binary `npm run sessions:clear` runs (npm puts node_modules/.bin on PATH, as npx would). */
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const SECRET = "clear-sessions-test-secret-0123456789abcdefghij";
const HOUR_MS = 60 * 60 * 1000;

/** A session saved at `at` (it expires 30 minutes later), and its token hash. */
async function savedAt(store: SessionStore, at: Date): Promise<string> {
  const ctx: SessionContext = {
    store,
    sealer: TEST_SEALER,
    policy: CONTRACT_POLICY,
    now: () => at,
    userAgent: null,
    ip: null,
  };
  const session = Session.create(ctx);
  session.set("n", at.getTime());
  await session.save();
  return session.tokenHash as string;
}

describe("npm run sessions:clear, under each SESSION_ENGINE", () => {
  let test: TestDatabase;
  let dir: string;

  /** Runs the script in its own process, as cron would, against the test database and folder. */
  function clearSessions(env: Record<string, string>) {
    return spawnSync(TSX, ["scripts/clear-sessions.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      env: childEnv({ SESSION_SECRET: SECRET, DATABASE_URL: `file:${test.file}`, SESSION_FILE_PATH: dir, ...env }),
    });
  }

  /** Inserts a session row straight into the database, expired an hour ago. */
  async function insertExpiredRow(): Promise<void> {
    const past = new Date(Date.now() - HOUR_MS);
    await test.db.session.create({
      data: {
        id: "expired-row",
        tokenHash: "e".repeat(64),
        lastSeenAt: past,
        expiresAt: past,
        absoluteExpiresAt: past,
      },
    });
  }

  beforeEach(async () => {
    test = await createTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "sesame-clear-"));
  });

  afterEach(async () => {
    await test.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("under file, removes expired session files and expired end reasons, and keeps the live ones", async () => {
    const store = new FileSessionStore(dir, () => undefined);
    const past = new Date(Date.now() - 2 * HOUR_MS);
    const expired = [await savedAt(store, past), await savedAt(store, past)];
    const live = await savedAt(store, new Date());
    const endedLongAgo = await savedAt(store, past);
    const endedJustNow = await savedAt(store, new Date());
    await store.delete(endedLongAgo, "revoked");
    await store.delete(endedJustNow, "revoked");
    await insertExpiredRow();

    const result = clearSessions({ SESSION_ENGINE: "file" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Removed 2 expired sessions from ${dir} in \\d+\\.\\d\\d s\\.`));
    expect(readdirSync(dir).sort()).toEqual([`${endedJustNow}.ended`, `${live}.json`].sort());
    for (const hash of expired) expect(await store.exists(hash)).toBe(false);
    expect(await store.endReason(endedJustNow)).toBe("revoked");
    expect(await test.db.session.count()).toBe(1); // the database is not this engine's: left alone
  }, 60_000);

  it.each([
    [
      "cache",
      { REDIS_URL: "redis://127.0.0.1:1" },
      /SESSION_ENGINE=cache: nothing to clear\. Redis expires each session by itself/,
    ],
    ["cookie", {}, /SESSION_ENGINE=cookie: nothing to clear\. Each session lives in its browser's cookie/],
  ])(
    "under %s, says why there is nothing to clear, exits 0 and touches nothing",
    async (engine, env, explanation) => {
      await insertExpiredRow();
      const result = clearSessions({ SESSION_ENGINE: engine, ...env });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(explanation);
      expect(result.stdout).not.toContain("Removed");
      expect(await test.db.session.count()).toBe(1);
    },
    60_000,
  );

  // cached_db with a Redis that is not there: its cache needs no clearing, so it is never contacted.
  it.each([
    ["db", {}],
    ["cached_db", { REDIS_URL: "redis://127.0.0.1:1" }],
  ])(
    "under %s, removes expired rows and keeps the live ones",
    async (engine, env) => {
      await insertExpiredRow();
      const past = new Date(Date.now() - HOUR_MS);
      await test.db.session.create({
        data: {
          id: "live-row",
          tokenHash: "f".repeat(64),
          lastSeenAt: past,
          expiresAt: new Date(Date.now() + HOUR_MS),
          absoluteExpiresAt: new Date(Date.now() + HOUR_MS),
        },
      });
      const result = clearSessions({ SESSION_ENGINE: engine, ...env });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Removed 1 expired session from the Session table \(SQLite\) in \d+\.\d\d s\.$/m);
      expect((await test.db.session.findMany({ select: { id: true } })).map((row) => row.id)).toEqual(["live-row"]);
      expect(readdirSync(dir)).toEqual([]);
    },
    60_000,
  );

  it("under file with a folder that others may write to, refuses with the reason and exit code 1", () => {
    const result = clearSessions({ SESSION_ENGINE: "file", SESSION_FILE_PATH: os.tmpdir() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`sessions:clear failed: Sesame cannot start: the session folder is not safe.`);
    expect(result.stderr).toContain(`SESSION_FILE_PATH: ${os.tmpdir()}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
