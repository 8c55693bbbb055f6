#!/usr/bin/env node
// `npm run bench`: builds and starts the production server, drives it with autocannon from this
// (separate) process, prints a table and writes bench/results.json (a --quick run writes
// bench/.tmp/results-quick.json instead). See README, "Performance".
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { v7 as uuidv7 } from "uuid";
import { SESSION_COOKIE_NAME } from "../lib/config/cookie-name.mjs";
import { childEnv, getTooling } from "../lib/config/tooling.mjs";
import { serveArgs } from "../scripts/serve-args.mjs";
import { resultsFile, rowsLabel } from "./options.mjs";

const root = path.resolve(import.meta.dirname, "..");
const quick = process.argv.includes("--quick");
const skipBuild = process.argv.includes("--no-build");
const DURATION = quick ? 3 : 10;
const WARMUP = quick ? 1 : 3;
const ROUNDS = quick ? 1 : 3;
const PORT = getTooling().benchPort;
const ORIGIN = `http://localhost:${PORT}`;
const TMP = path.join(root, "bench", ".tmp");
const DB_FILE = path.join(TMP, "bench.db");
const DATABASE_URL = `file:${DB_FILE}`;
const SECRET = randomBytes(32).toString("base64url");
const JSON_HEADERS = { "content-type": "application/json", origin: ORIGIN };
const SCALE_ROWS = quick ? 100_000 : 1_000_000;
const SCALE_LABEL = rowsLabel(SCALE_ROWS);
const RESULTS = resultsFile(root, quick);
const FLOOD_WRITES = quick ? 2_000 : 10_000;

const log = (message) => console.log(`[bench] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the server -------------------------------------------------------------------------

function prepareDatabase() {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: childEnv({ DATABASE_URL }),
    stdio: "ignore",
  });
}

async function startServer({ cacheSize }) {
  const child = spawn(process.execPath, serveArgs(), {
    cwd: root,
    env: childEnv({
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL,
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
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${ORIGIN}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await sleep(200);
  }
  child.kill();
  throw new Error("the server did not start");
}

async function stopServer(child) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const metrics = async (reset = false) => (await fetch(`${ORIGIN}/__sesame/metrics${reset ? "?reset=1" : ""}`)).json();

// --- load ---------------------------------------------------------------------------------

function load({ path: urlPath = "/", onInstance, ...options }, seconds = DURATION) {
  return new Promise((resolve, reject) => {
    // autocannon takes the path as part of the URL; `requests` entries may override it.
    const instance = autocannon(
      { url: `${ORIGIN}${urlPath}`, duration: seconds, connections: 16, ...options },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    onInstance?.(instance);
  });
}

function summarize(result) {
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

async function measure(name, options) {
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
async function measureSideBySide(scenarios) {
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

// --- set-up -------------------------------------------------------------------------------

async function register(email, password) {
  const response = await fetch(`${ORIGIN}/api/auth/register`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}`);
  return cookieOf(response);
}

function cookieOf(response) {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
  if (!header) throw new Error("no session cookie");
  return header.split(";")[0];
}

async function anonymousSession() {
  const response = await fetch(`${ORIGIN}/api/session/keys/seed`, {
    method: "PUT",
    headers: JSON_HEADERS,
    body: '{"value":0}',
  });
  return cookieOf(response);
}

function seedExpiredRows(count) {
  const db = new Database(DB_FILE);
  db.pragma("journal_mode = WAL");
  const past = new Date(Date.now() - 86_400_000).toISOString().replace("Z", "+00:00");
  const insert = db.prepare(
    `INSERT INTO "Session" (id, tokenHash, data, createdAt, lastSeenAt, expiresAt, absoluteExpiresAt, events)
     VALUES (?, ?, '{}', ?, ?, ?, ?, '[]')`,
  );
  // Rows as the app writes them: a UUIDv7 id made when the session was (a day ago), a random token hash.
  let made = Date.now() - 2 * 86_400_000;
  const batch = db.transaction((n) => {
    for (let i = 0; i < n; i++) {
      insert.run(uuidv7({ msecs: (made += 0.05) | 0 }), randomBytes(32).toString("hex"), past, past, past, past);
    }
  });
  for (let done = 0; done < count; done += 50_000) batch(Math.min(50_000, count - done));
  const rows = db.prepare(`SELECT count(*) AS n FROM "Session"`).get().n;
  db.close();
  return rows;
}

function runClear() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/clear-sessions.ts"], {
      cwd: root,
      env: childEnv({ DATABASE_URL, SESSION_SECRET: SECRET }),
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

// --- the run ------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  if (!skipBuild) {
    log("building the production server (next build)…");
    execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "ignore" });
  }
  prepareDatabase();
  let server = await startServer({ cacheSize: 10_000 });
  const results = [];
  let peakRssMb = 0;
  try {
    const password = "benchmark passphrase 0001";
    const email = `bench-${Date.now()}@example.test`;
    const cookie = await register(email, password);
    const withCookie = { cookie };
    const writers = await Promise.all(Array.from({ length: 64 }, () => anonymousSession()));
    let next = 0;

    results.push(
      ...(await measureSideBySide([
        ["1. baseline: GET /api/health", { path: "/api/health" }],
        ["2. stateless floor: unseal only", { path: "/api/bench/stateless", headers: withCookie }],
        ["3. session read: GET /api/session", { path: "/api/session", headers: withCookie }],
        [
          "4a. session write, one session",
          {
            method: "PUT",
            path: "/api/session/keys/counter",
            headers: { ...JSON_HEADERS, ...withCookie },
            body: '{"value":1}',
          },
        ],
        [
          "4b. session write, 64 sessions",
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
        ],
      ])),
    );
    results.push(
      ...(await measureSideBySide([
        ["5a. bare page, one row, no session: GET /status", { path: "/status", connections: 8 }],
        ["5b. dashboard page: GET /dashboard", { path: "/dashboard", headers: withCookie, connections: 8 }],
      ])),
    );

    log("6. login storm: 16 concurrent logins while session reads run alongside…");
    await metrics(true);
    const [logins, reads] = await Promise.all([
      load({
        method: "POST",
        path: "/api/auth/login",
        headers: JSON_HEADERS,
        body: JSON.stringify({ email, password }),
      }),
      load({ path: "/api/session", headers: withCookie, connections: 8 }),
    ]);
    const storm = await metrics();
    results.push({ name: "6a. login storm: logins", connections: 16, ...summarize(logins) });
    results.push({ name: "6b. login storm: session reads alongside", connections: 8, ...summarize(reads) });
    const eventLoopP99 = storm.eventLoopDelayMs.p99;
    log(
      `6. ${Math.round(logins.requests.average * 10) / 10} logins/s, read p99 ${reads.latency.p99} ms, event-loop p99 ${eventLoopP99} ms`,
    );
    peakRssMb = Math.max(peakRssMb, (await metrics()).peakRssMb);

    // 8. Each write carries 60 KB and comes from an address of its own, so no per-address limit
    // stops it: every one starts a session that the server stores and caches.
    const floodName = `8. flood: ${FLOOD_WRITES.toLocaleString("en")} anonymous 60 KB writes, new address each`;
    log(`${floodName}…`);
    const floodBody = JSON.stringify({ value: "x".repeat(60 * 1024) });
    let floodClient = 0;
    const floodAddress = () => `10.${(floodClient >> 16) & 255}.${(floodClient >> 8) & 255}.${floodClient++ & 255}`;
    const flood = summarize(
      await load({
        amount: FLOOD_WRITES,
        connections: 100,
        requests: [
          {
            method: "PUT",
            path: "/api/session/keys/cart",
            setupRequest: (request) => ({
              ...request,
              headers: { ...JSON_HEADERS, "x-forwarded-for": floodAddress() },
              body: floodBody,
            }),
          },
        ],
      }),
    );
    const afterFlood = await metrics();
    const answersAfterFlood = (await fetch(`${ORIGIN}/api/health`)).ok;
    results.push({ name: floodName, connections: 100, ...flood, rssMb: afterFlood.rssMb });
    log(
      `8. ${flood.rps} writes/s, non-2xx ${flood.non2xx}, RSS after ${afterFlood.rssMb} MB, peak ${afterFlood.peakRssMb} MB`,
    );
    peakRssMb = Math.max(peakRssMb, afterFlood.peakRssMb);
    const floodPeakRssMb = afterFlood.peakRssMb;

    // 7. Scale, with the in-process cache off so every read reaches SQLite.
    await stopServer(server);
    server = await startServer({ cacheSize: 0 });
    const uncachedCookie = await register(`bench-scale-${Date.now()}@example.test`, password);
    const rowsBefore = seedExpiredRows(Math.max(0, 1000 - 66));
    results.push(
      await measure(`7a. session read, no cache, ${rowsBefore} rows`, {
        path: "/api/session",
        headers: { cookie: uncachedCookie },
      }),
    );
    log(`seeding ${SCALE_ROWS.toLocaleString("en")} expired rows…`);
    const rowsAfter = seedExpiredRows(SCALE_ROWS);
    results.push(
      await measure(`7b. session read, no cache, ${rowsAfter} rows`, {
        path: "/api/session",
        headers: { cookie: uncachedCookie },
      }),
    );
    log("7c. npm run sessions:clear under load…");
    await metrics(true);
    let reader;
    const during = load(
      { path: "/api/session", headers: { cookie: uncachedCookie }, onInstance: (i) => (reader = i) },
      120,
    );
    await sleep(500);
    const clear = await runClear();
    reader.stop();
    const duringClear = summarize(await during);
    const clearLoop = (await metrics()).eventLoopDelayMs;
    results.push({ name: "7c. session reads while clearing", connections: 16, ...duringClear });
    log(`cleared in ${clear.seconds.toFixed(1)} s (${clear.output}); worst read ${duringClear.max} ms`);
    peakRssMb = Math.max(peakRssMb, (await metrics()).peakRssMb);

    const baseline = results[0].rps;
    for (const row of results) row.ratio = Math.round((row.rps / baseline) * 100) / 100;
    const byName = (prefix) => results.find((r) => r.name.startsWith(prefix));
    const summary = {
      machine: {
        cpu: os.cpus()[0]?.model ?? "unknown",
        cores: os.availableParallelism(),
        memoryGb: Math.round(os.totalmem() / 1e9),
        node: process.version,
        platform: `${os.type()} ${os.release()}`,
      },
      date: new Date().toISOString(),
      durationSeconds: DURATION,
      quick,
      scenarios: results,
      loginStorm: {
        loginsPerSecond: Math.round(logins.requests.average * 10) / 10,
        sessionReadP99Ms: reads.latency.p99,
        eventLoopDelayP99Ms: eventLoopP99,
      },
      scale: {
        rowsCleared: SCALE_ROWS,
        clearSeconds: Math.round(clear.seconds * 10) / 10,
        worstReadDuringClearMs: duringClear.max,
        // The server's own stalls while the clear ran, to tell them from waits on the database.
        eventLoopDelayDuringClearMs: clearLoop,
      },
      flood: { writes: FLOOD_WRITES, peakRssMb: floodPeakRssMb, answeredAfterwards: answersAfterFlood },
      peakRssMb,
    };
    const goals = [
      ["session read within 10% of the stateless floor", byName("3.").rps >= 0.9 * byName("2.").rps],
      ["session read ≥ 0.8× baseline", byName("3.").ratio >= 0.8],
      ["session read ahead of Django's 1,030/s", byName("3.").rps > 1030],
      [
        "session write ≥ 0.6× baseline, 0 errors",
        byName("4a.").ratio >= 0.6 && byName("4b.").ratio >= 0.6 && byName("4a.").non2xx + byName("4b.").non2xx === 0,
      ],
      [
        "dashboard ≥ 0.7× bare page, p99 < 100 ms",
        byName("5b.").rps >= 0.7 * byName("5a.").rps && byName("5b.").p99 < 100,
      ],
      ["login storm: event-loop p99 < 50 ms", eventLoopP99 < 50],
      ["login storm: session-read p99 < 100 ms", reads.latency.p99 < 100],
      [`read at ${SCALE_LABEL} rows within 10% of 1k rows`, byName("7b.").p50 <= byName("7a.").p50 * 1.1 + 0.5],
      [`clearing ${SCALE_LABEL} rows < 20 s`, clear.seconds < 20],
      ["no request slower than 100 ms while clearing", duringClear.max < 100],
      ["peak RSS < 400 MB", peakRssMb < 400],
      [
        "flood: still answering, peak RSS < 400 MB, no 5xx",
        answersAfterFlood && floodPeakRssMb < 400 && byName("8.").non2xx === 0,
      ],
      ["zero non-2xx where success is expected", results.every((r) => r.non2xx === 0)],
    ].map(([goal, met]) => ({ goal, met }));
    summary.goals = goals;
    writeFileSync(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
    printTable(summary);
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote ${path.relative(root, RESULTS)}`);
  } finally {
    await stopServer(server);
  }
}

function printTable(summary) {
  const rows = summary.scenarios.map((r) => [
    r.name,
    String(r.connections),
    String(r.rps),
    String(r.p50),
    String(r.p99),
    `${r.ratio}×`,
    String(r.non2xx),
  ]);
  const header = ["scenario", "conns", "req/s", "p50 ms", "p99 ms", "vs baseline", "non-2xx"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  const s = summary;
  console.log(
    `\nLogin storm: ${s.loginStorm.loginsPerSecond} logins/s, session-read p99 ${s.loginStorm.sessionReadP99Ms} ms, event-loop delay p99 ${s.loginStorm.eventLoopDelayP99Ms} ms`,
  );
  const loop = s.scale.eventLoopDelayDuringClearMs;
  console.log(
    `Clearing ${s.scale.rowsCleared.toLocaleString("en")} expired rows: ${s.scale.clearSeconds} s; worst read meanwhile ${s.scale.worstReadDuringClearMs} ms (server event-loop delay p99 ${loop.p99} ms, max ${loop.max} ms)`,
  );
  console.log(
    `Flood of ${s.flood.writes.toLocaleString("en")} anonymous 60 KB writes: peak RSS ${s.flood.peakRssMb} MB, answering afterwards: ${s.flood.answeredAfterwards}`,
  );
  console.log(
    `Peak RSS: ${s.peakRssMb} MB. Machine: ${s.machine.cpu}, ${s.machine.cores} cores, Node ${s.machine.node}\n`,
  );
  for (const { goal, met } of s.goals) console.log(`${met ? "✓" : "✗"} ${goal}`);
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
