// A private PostgreSQL for the tests and the benchmark: a fresh cluster in a temporary folder, on a
// free loopback port, stopped and removed afterwards. Plain JavaScript, because bench/run.mjs runs
// without a TypeScript step. Debian's `postgresql` package provides it (.ci/run installs it).
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cleanUpAfterExit } from "./after-we-die.mjs";
import { freePort } from "./free-port.mjs";

const MISSING =
  "PostgreSQL is not installed, and the tests of DATABASE_URL=postgresql://… need a real one. " +
  "Install it with `apt-get install -y postgresql` (.ci/run does so when it is missing).";

/**
 * @typedef {object} ThrowawayPostgres
 * @property {string} url A connection URL to its `postgres` database, as user `postgres` (trust).
 * @property {number} port
 * @property {(name: string) => Promise<string>} createDatabase Creates an empty database and returns its URL.
 * @property {string} dir Its folder, removed when it stops.
 * @property {() => void} stop Stops the server at once and removes its folder. Should this process
 *   die first, even by SIGKILL, a watcher stops the server and removes the folder (after-we-die.mjs).
 */

/**
 * initdb and pg_ctl, where Debian puts them (/usr/lib/postgresql/<version>/bin, the newest), else
 * on PATH.
 * @returns {(name: string) => string}
 */
function findTools() {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(base, version, "bin");
    if (existsSync(path.join(bin, "pg_ctl"))) return (name) => path.join(bin, name);
  }
  if (!spawnSync("pg_ctl", ["--version"]).error) return (name) => name;
  throw new Error(MISSING);
}

/**
 * initdb refuses to run as root: then the cluster belongs to the `postgres` user that Debian's
 * package creates, and its commands run through runuser. `prefix` is what goes before a command.
 * @param {string} dir
 * @returns {{ run: (command: string, args: string[]) => void, prefix: string[] }}
 */
function runnerFor(dir) {
  const prefix = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (prefix.length > 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (/** @type {string} */ command, /** @type {string[]} */ args) => {
    const [first = command, ...rest] = [...prefix, command, ...args];
    execFileSync(first, rest, { stdio: "pipe" });
  };
  return { run, prefix };
}

/** What the watcher runs if this process dies without stopping the cluster: "$1" data, "$2" folder, then pg_ctl. */
const STOP_ORPHAN = 'data=$1; dir=$2; shift 2; "$@" -D "$data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$dir"';

/**
 * Starts a throwaway PostgreSQL. `durable: false` (the tests) turns fsync off; the benchmark keeps
 * it on and turns off only synchronous_commit, which matches SQLite's WAL with synchronous=NORMAL:
 * a crash may lose the last commits, never corrupt the database.
 * @param {{ durable?: boolean }} [options]
 * @returns {Promise<ThrowawayPostgres>}
 */
export async function startPostgres({ durable = false } = {}) {
  const tool = findTools();
  const dir = mkdtempSync(path.join(os.tmpdir(), "sesame-pg-"));
  const data = path.join(dir, "data");
  const { run, prefix } = runnerFor(dir);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c synchronous_commit=off",
    ...(durable ? [] : ["-c fsync=off", "-c full_page_writes=off"]),
  ].join(" ");
  let started = false;
  const callOffWatcher = cleanUpAfterExit(STOP_ORPHAN, [data, dir, ...prefix, tool("pg_ctl")]);
  const stop = () => {
    process.off("exit", stop);
    callOffWatcher();
    try {
      if (started) run(tool("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stop);
  try {
    run(tool("initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    run(tool("pg_ctl"), ["-D", data, "-o", settings, "-l", path.join(dir, "server.log"), "-w", "start"]);
    started = true;
  } catch (error) {
    const log = existsSync(path.join(dir, "server.log")) ? readFileSync(path.join(dir, "server.log"), "utf8") : "";
    stop();
    const stderr = /** @type {{ stderr?: Buffer }} */ (error).stderr?.toString() ?? "";
    throw new Error(`PostgreSQL did not start: ${stderr || String(error)}\n${log}`);
  }
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dir,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: url });
      client.on("error", () => undefined); // a lost connection fails the query below instead
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
