// What both suites of `npm run bench` share: the production server, autocannon's load and its
// summary, the side-by-side rounds, the user and sessions a run needs, `npm run sessions:clear` as a
// separate process, and the Markdown table. bench/run.mjs runs the SQLite suite, bench/postgres.mjs
// the --postgres comparison; both measure with these same functions, so their numbers compare.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { SESSION_COOKIE_NAME } from "../lib/config/cookie-name.mjs";
import { databaseTargetOf } from "../lib/config/database.mjs";
import { childEnv, getTooling } from "../lib/config/tooling.mjs";
import { applyMigrations } from "../lib/db/migrations.mjs";
import { serveArgs } from "../scripts/serve-args.mjs";
import { benchFlags, rowsLabel } from "./options.mjs";

export const root = path.resolve(import.meta.dirname, "..");
export const flags = flagsOrExit(process.argv.slice(2));
export const quick = flags.quick;
export const DURATION = quick ? 3 : 10;
export const WARMUP = quick ? 1 : 3;
export const ROUNDS = quick ? 1 : 3;
const PORT = getTooling().benchPort;
export const ORIGIN = `http://localhost:${PORT}`;
export const TMP = path.join(root, "bench", ".tmp");
export const DB_FILE = path.join(TMP, "bench.db");
/** The SQLite database of every run: a fresh file in bench/.tmp. */
export const DATABASE_URL = `file:${DB_FILE}`;
export const SECRET = randomBytes(32).toString("base64url");
export const JSON_HEADERS = { "content-type": "application/json", origin: ORIGIN };
export const SCALE_ROWS = quick ? 100_000 : 1_000_000;
export const SCALE_LABEL = rowsLabel(SCALE_ROWS);
export const PASSWORD = "benchmark passphrase 0001";

/**
 * The command line, or a one-line complaint and exit code 2 (a stack trace would hide the message).
 * @param {string[]} args
 */
function flagsOrExit(args) {
  try {
    return benchFlags(args);
  } catch (error) {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    return process.exit(2);
  }
}

/** @param {string} message */
export const log = (message) => console.log(`[bench] ${message}`);
/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the server -------------------------------------------------------------------------

/** `next build`, unless --no-build asked to reuse the last one. */
export function buildUnlessSkipped() {
  if (!flags.build) return;
  log("building the production server (next build)…");
  execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "ignore" });
}

/**
 * A fresh, migrated SQLite database in bench/.tmp. Only the database's own files go: a --quick run's
 * results live in the same folder, and one suite must not delete the other's.
 */
export async function prepareDatabase() {
  mkdirSync(TMP, { recursive: true });
  const name = path.basename(DB_FILE);
  for (const file of readdirSync(TMP).filter((f) => f.startsWith(name))) rmSync(path.join(TMP, file), { force: true });
  await applyMigrations(databaseTargetOf(DATABASE_URL));
}

/**
 * Starts the production server as `npm run serve` does and waits until it answers.
 * @param {{ cacheSize?: number, env?: Record<string, string> }} options `env` overrides the bench's
 *   settings: DATABASE_URL, SESSION_ENGINE and REDIS_URL for another deployment.
 */
export async function startServer({ cacheSize = 10_000, env = {} } = {}) {
  const child = spawn(process.execPath, serveArgs(), {
    cwd: root,
    env: childEnv({
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL,
      // Named, so that a SESSION_ENGINE or REDIS_URL in .env.local cannot change what is measured.
      SESSION_ENGINE: "db",
      REDIS_URL: "",
      SESSION_SECRET: SECRET,
      SESSION_CACHE_SIZE: String(cacheSize),
      SESAME_METRICS: "1",
      // Scenario 7 clears on its own schedule; the server's hourly clearing must not join in.
      SESSION_CLEAR_INTERVAL: "0",
      BCRYPT_COST: "12",
      // The benchmark logs in and starts sessions on purpose, over and over, from one address.
      RATE_LIMIT_LOGIN_ACCOUNT_IP: "1000000/60",
      RATE_LIMIT_LOGIN_ACCOUNT: "1000000/60",
      RATE_LIMIT_SESSION_IP: "1000000/60",
      BENCH_ENDPOINTS: "1",
      // Scenario 8 gives each flooding request an address of its own, as a proxy would pass it on.
      TRUST_PROXY: "1",
      RATE_LIMIT_LOGIN_IP: "1000000/60",
      RATE_LIMIT_REGISTER_IP: "1000000/60",
      ...env,
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  // A run that ends through process.exit (a failure, Ctrl-C) must not leave the server holding the port.
  const kill = () => child.kill();
  process.on("exit", kill);
  child.once("exit", () => process.off("exit", kill));
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${ORIGIN}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    // A server that refused its configuration or its database has exited: no use waiting 30 s.
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} at start`);
    await sleep(200);
  }
  child.kill();
  throw new Error("the server did not start");
}

/** @param {import("node:child_process").ChildProcess} child */
export async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/**
 * Runs `work` against a server started with `options`, and stops the server whatever happens.
 * @template T
 * @param {Parameters<typeof startServer>[0]} options
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withServer(options, work) {
  const server = await startServer(options);
  try {
    return await work();
  } finally {
    await stopServer(server);
  }
}

/** @param {boolean} [reset] */
export const metrics = async (reset = false) =>
  (await fetch(`${ORIGIN}/__sesame/metrics${reset ? "?reset=1" : ""}`)).json();

// --- load ---------------------------------------------------------------------------------

export function load({ path: urlPath = "/", onInstance, ...options }, seconds = DURATION) {
  return new Promise((resolve, reject) => {
    // autocannon takes the path as part of the URL; `requests` entries may override it.
    const instance = autocannon(
      { url: `${ORIGIN}${urlPath}`, duration: seconds, connections: 16, ...options },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    onInstance?.(instance);
  });
}

export function summarize(result) {
  const failures = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !code.startsWith("2")),
  );
  if (result.errors) failures.errors = result.errors;
  if (result.timeouts) failures.timeouts = result.timeouts;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx + result.errors + result.timeouts,
    ...(Object.keys(failures).length > 0 ? { failures } : {}),
  };
}

export async function measure(name, options) {
  await load(options, WARMUP);
  const result = summarize(await load(options));
  result.rssMb = (await metrics()).rssMb;
  log(`${name}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`);
  return { name, connections: options.connections ?? 16, ...result };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Scenarios whose ratios are goals, measured side by side: ROUNDS rounds of each in turn, each
 * reported as its median round (non-2xx summed), so a noisy neighbour moment skews one round of
 * one scenario instead of the ratio.
 */
export async function measureSideBySide(scenarios) {
  for (const [, options] of scenarios) await load(options, WARMUP);
  const rounds = scenarios.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, options]] of scenarios.entries()) rounds[i]?.push(summarize(await load(options, DURATION / 2)));
  }
  const { rssMb } = await metrics();
  return scenarios.map(([name, options], i) => {
    const runs = rounds[i] ?? [];
    const result = {
      name,
      connections: options.connections ?? 16,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      max: Math.max(...runs.map((r) => r.max)),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      rounds: runs.map((r) => r.rps),
      rssMb,
    };
    log(
      `${name}: ${result.rps} req/s (rounds ${result.rounds.join(", ")}), p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`,
    );
    return result;
  });
}

// --- the scenarios both suites run ------------------------------------------------------------

export const baselineScenario = () => ["1. baseline: GET /api/health", { path: "/api/health" }];

/** @param {string} cookie */
export const sessionReadScenario = (cookie) => [
  "3. session read: GET /api/session",
  { path: "/api/session", headers: { cookie } },
];

/** @param {string} cookie */
export const writeOneScenario = (cookie) => [
  "4a. session write, one session",
  {
    method: "PUT",
    path: "/api/session/keys/counter",
    headers: { ...JSON_HEADERS, cookie },
    body: '{"value":1}',
  },
];

/**
 * Writes spread over `writers`' sessions in turn, so that no one session's row is the bottleneck.
 * @param {string[]} writers cookies
 */
export function writeManyScenario(writers) {
  let next = 0;
  return [
    `4b. session write, ${writers.length} sessions`,
    {
      requests: [
        {
          method: "PUT",
          path: "/api/session/keys/counter",
          setupRequest: (request) => ({
            ...request,
            headers: { ...JSON_HEADERS, cookie: writers[next++ % writers.length] },
            body: '{"value":1}',
          }),
        },
      ],
    },
  ];
}

// --- set-up -------------------------------------------------------------------------------

/**
 * Registers a user and returns the session cookie the server answered with.
 * @param {string} email
 * @param {string} [password]
 */
export async function register(email, password = PASSWORD) {
  const response = await fetch(`${ORIGIN}/api/auth/register`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}`);
  return cookieOf(response);
}

/** @param {Response} response */
function cookieOf(response) {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
  if (!header) throw new Error("no session cookie");
  return header.split(";")[0] ?? header;
}

/** A new anonymous session, started by a write, as a visitor's first cart update starts one. */
export async function anonymousSession() {
  const response = await fetch(`${ORIGIN}/api/session/keys/seed`, {
    method: "PUT",
    headers: JSON_HEADERS,
    body: '{"value":0}',
  });
  return cookieOf(response);
}

/** @param {number} count */
export const anonymousSessions = (count) => Promise.all(Array.from({ length: count }, () => anonymousSession()));

/**
 * `npm run sessions:clear` as a process of its own, as an operator's cron job runs it.
 * @param {Record<string, string>} [env] the database and engine to clear, when not the SQLite file
 * @returns {Promise<{ seconds: number, output: string }>} wall time, start-up included
 */
export function runClear(env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/clear-sessions.ts"], {
      cwd: root,
      env: childEnv({ DATABASE_URL, SESSION_ENGINE: "db", REDIS_URL: "", SESSION_SECRET: SECRET, ...env }),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - started) / 1000, output: output.trim() })
        : reject(new Error(`clear exited ${code}`)),
    );
  });
}

/**
 * Session reads for as long as `work` runs (at most two minutes), started half a second before it:
 * what a clear costs the requests it shares the server and the database with.
 * @template T
 * @param {string} cookie
 * @param {() => Promise<T>} work
 * @returns {Promise<{ work: T, reads: ReturnType<typeof summarize> }>}
 */
export async function readWhile(cookie, work) {
  /** @type {{ stop: () => void } | undefined} */
  let reader;
  const during = load({ path: "/api/session", headers: { cookie }, onInstance: (i) => (reader = i) }, 120);
  // Should `work` fail, its error is the one to report, not an orphaned load's.
  during.catch(() => {});
  await sleep(500);
  let result;
  try {
    result = await work();
  } finally {
    reader?.stop();
  }
  return { work: result, reads: summarize(await during) };
}

// --- the report ---------------------------------------------------------------------------

/** The machine a run measured, for its results file. */
export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 1e9),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

/**
 * Each row's req/s against `baseline`, rounded to hundredths as the tables print it.
 * @param {{ rps: number, ratio?: number }[]} rows
 * @param {number} baseline
 */
export function setRatios(rows, baseline) {
  for (const row of rows) row.ratio = Math.round((row.rps / baseline) * 100) / 100;
}

/**
 * Prints a Markdown table, its columns padded to line up in a terminal too.
 * @param {string[]} header
 * @param {string[][]} rows
 */
export function printMarkdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

/** @param {{ goal: string, met: boolean }[]} goals */
export function printGoals(goals) {
  for (const { goal, met } of goals) console.log(`${met ? "✓" : "✗"} ${goal}`);
}
