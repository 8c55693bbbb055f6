import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { childEnv } from "@/lib/config/tooling.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The binary `npm run` puts on PATH: what `npx tsx` runs, without npx's own start-up. */
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
/** What instrumentation.ts does when the server starts. */
const START = "import('./lib/startup.ts').then((m) => { m.checkConfigurationOrExit(); console.log('started'); })";

/** Runs the server's start-up check in a fresh process, as `npm start` would, under the file engine. */
function startWithFolder(folder: string) {
  return spawnSync(TSX, ["-e", START], {
    cwd: ROOT,
    encoding: "utf8",
    env: childEnv({
      SESSION_ENGINE: "file",
      SESSION_FILE_PATH: folder,
      SESSION_SECRET: "startup-test-secret-0123456789abcdefghij",
    }),
  });
}

describe("the server's start-up check under SESSION_ENGINE=file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sesame-startup-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a folder that others may write to: exit code 1, a message naming the folder and the fix, no stack trace", () => {
    const folder = path.join(dir, "sessions");
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    const result = startWithFolder(folder);
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain("started");
    expect(result.stderr).toContain("Sesame cannot start: the session folder is not safe.");
    expect(result.stderr).toContain(`SESSION_FILE_PATH: ${folder} grants access to group or other users (mode 0777)`);
    expect(result.stderr).toContain(`chmod 700 "${folder}"`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it("starts with a private folder, creating it when it is missing", () => {
    const folder = path.join(dir, "var", "sessions");
    const result = startWithFolder(folder);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("started");
  }, 60_000);
});
