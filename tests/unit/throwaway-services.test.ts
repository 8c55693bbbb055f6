import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Whether something accepts TCP connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline;) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

/**
 * Starts a throwaway server in a process of its own, which prints what it started and then waits,
 * as a test run does; the caller kills that process with SIGKILL, which runs no exit hook.
 */
function startInChild(code: string): Promise<{ pid: number; started: { port: number; dir?: string } }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, stdio: "pipe" });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (line && child.pid) resolve({ pid: child.pid, started: JSON.parse(line) });
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`the child exited (${code}): ${output}`)));
  });
}

describe("throwaway servers outlive no test run", () => {
  it("a PostgreSQL whose process was SIGKILLed is stopped and its folder removed", async () => {
    const { pid, started } = await startInChild(`
      import { startPostgres } from "./scripts/throwaway-postgres.mjs";
      const pg = await startPostgres();
      console.log(JSON.stringify({ port: pg.port, dir: pg.dir }));
      setInterval(() => {}, 1000);`);
    expect(await listening(started.port)).toBe(true);
    process.kill(pid, "SIGKILL");
    expect(await eventually(async () => !(await listening(started.port)), 15)).toBe(true);
    expect(await eventually(async () => !existsSync(started.dir as string), 5)).toBe(true);
  }, 40_000);

  it("a redis-server whose process was SIGKILLed is killed too", async () => {
    const { pid, started } = await startInChild(`
      import { startRedis } from "./scripts/throwaway-redis.mjs";
      const redis = await startRedis();
      console.log(JSON.stringify({ port: redis.port }));
      setInterval(() => {}, 1000);`);
    expect(await listening(started.port)).toBe(true);
    process.kill(pid, "SIGKILL");
    expect(await eventually(async () => !(await listening(started.port)), 10)).toBe(true);
  }, 30_000);
});
