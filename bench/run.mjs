#!/usr/bin/env node
// `npm run bench`: builds and starts the production server, drives it with autocannon from this
// (separate) process, prints a table and writes bench/results.json (a --quick run writes
// bench/.tmp/results-quick.json instead). `--postgres` runs only the SQLite/PostgreSQL comparison of
// bench/postgres.mjs instead. See README, "Performance".
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { v7 as uuidv7 } from "uuid";
import {
  anonymousSessions,
  baselineScenario,
  buildUnlessSkipped,
  DB_FILE,
  DURATION,
  flags,
  JSON_HEADERS,
  load,
  log,
  machine,
  measure,
  measureSideBySide,
  metrics,
  ORIGIN,
  PASSWORD,
  prepareDatabase,
  printGoals,
  printMarkdownTable,
  quick,
  readWhile,
  register,
  root,
  runClear,
  SCALE_LABEL,
  SCALE_ROWS,
  sessionReadScenario,
  setRatios,
  startServer,
  stopServer,
  summarize,
  writeManyScenario,
  writeOneScenario,
} from "./harness.mjs";
import { resultsFile } from "./options.mjs";
import { runPostgresComparison } from "./postgres.mjs";

const RESULTS = resultsFile(root, quick);
const FLOOD_WRITES = quick ? 2_000 : 10_000;

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

// --- the run ------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  buildUnlessSkipped();
  await prepareDatabase();
  let server = await startServer({ cacheSize: 10_000 });
  const results = [];
  let peakRssMb = 0;
  try {
    const email = `bench-${Date.now()}@example.test`;
    const cookie = await register(email);
    const withCookie = { cookie };
    const writers = await anonymousSessions(64);

    results.push(
      ...(await measureSideBySide([
        baselineScenario(),
        ["2. stateless floor: unseal only", { path: "/api/bench/stateless", headers: withCookie }],
        sessionReadScenario(cookie),
        writeOneScenario(cookie),
        writeManyScenario(writers),
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
        body: JSON.stringify({ email, password: PASSWORD }),
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
    const uncachedCookie = await register(`bench-scale-${Date.now()}@example.test`);
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
    const { work: clear, reads: duringClear } = await readWhile(uncachedCookie, () => runClear());
    const clearLoop = (await metrics()).eventLoopDelayMs;
    results.push({ name: "7c. session reads while clearing", connections: 16, ...duringClear });
    log(`cleared in ${clear.seconds.toFixed(1)} s (${clear.output}); worst read ${duringClear.max} ms`);
    peakRssMb = Math.max(peakRssMb, (await metrics()).peakRssMb);

    setRatios(results, results[0]?.rps ?? 0);
    const byName = (prefix) => results.find((r) => r.name.startsWith(prefix));
    const summary = {
      machine: machine(),
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
  printMarkdownTable(["scenario", "conns", "req/s", "p50 ms", "p99 ms", "vs baseline", "non-2xx"], rows);
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
  printGoals(s.goals);
}

// Ctrl-C or a kill: exit through process.exit, so that the exit hooks stop PostgreSQL and Redis.
for (const [signal, code] of /** @type {const} */ ([
  ["SIGINT", 130],
  ["SIGTERM", 143],
]))
  process.once(signal, () => process.exit(code));

// Run from the project root whatever the shell's folder: the migrations and tsx resolve from it.
process.chdir(root);
(flags.postgres ? runPostgresComparison() : main()).catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
