import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL, as a crash: whatever it held is gone (it never saves to disk). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const MISSING =
  "redis-server is not installed, and the Redis-backed session tests (SESSION_ENGINE=cache and cached_db) need a real one. " +
  "Install it with `apt-get install -y redis-server` (.ci/run does so when it is missing), or put it on PATH.";

/** A port nobody listens on right now: the OS picks one, and we let it go for redis-server. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts a private redis-server on a free loopback port, with no persistence. Fails loudly when
 * redis-server is missing: these tests must never skip silently.
 */
export async function startRedis(port?: number): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error) throw new Error(MISSING);
  const chosen = port ?? (await freePort());
  const child = spawn(
    "redis-server",
    ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start on port ${chosen}:\n${output}`)),
      10_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    async kill() {
      child.kill("SIGKILL");
      await exited(child);
    },
    async stop() {
      child.kill("SIGTERM");
      await exited(child);
    },
  };
}
