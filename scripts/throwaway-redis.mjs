// A private redis-server for the tests and the benchmark: a free loopback port, nothing saved to
// disk, stopped afterwards (and killed if the process exits first, even by SIGKILL). Plain JavaScript, because
// bench/run.mjs runs without a TypeScript step. Debian's `redis-server` package provides it.
import { spawn, spawnSync } from "node:child_process";
import { cleanUpAfterExit } from "./after-we-die.mjs";
import { freePort } from "./free-port.mjs";

const MISSING =
  "redis-server is not installed, and the Redis-backed session engines (SESSION_ENGINE=cache and cached_db) " +
  "are tested and measured against a real one. Install it with `apt-get install -y redis-server` " +
  "(.ci/run does so when it is missing), or put it on PATH.";

/**
 * @typedef {object} ThrowawayRedis
 * @property {string} url
 * @property {number} port
 * @property {string} version
 * @property {() => Promise<void>} kill SIGKILL, as a crash: whatever it held is gone.
 * @property {() => Promise<void>} stop
 */

/**
 * Starts redis-server and resolves once it accepts connections. Fails loudly when it is missing:
 * what needs it must never skip silently.
 * @returns {Promise<ThrowawayRedis>}
 */
export async function startRedis() {
  const probe = spawnSync("redis-server", ["--version"]);
  if (probe.error) throw new Error(MISSING);
  const version = /v=(\S+)/.exec(probe.stdout.toString())?.[1] ?? "unknown";
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const callOffWatcher =
    child.pid === undefined ? () => undefined : cleanUpAfterExit('kill -9 "$1"', [String(child.pid)]);
  const killNow = () => {
    callOffWatcher();
    child.kill("SIGKILL");
  };
  process.on("exit", killNow);
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once("exit", () => resolve(undefined)));
  let output = "";
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start on port ${port}:\n${output}`)),
        10_000,
      );
      child.stdout.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with code ${code}:\n${output}`));
      });
    });
  } catch (error) {
    process.off("exit", killNow);
    killNow();
    throw error;
  }
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    version,
    async kill() {
      process.off("exit", killNow);
      killNow();
      await exited();
    },
    async stop() {
      process.off("exit", killNow);
      callOffWatcher();
      child.kill("SIGTERM");
      await exited();
    },
  };
}
