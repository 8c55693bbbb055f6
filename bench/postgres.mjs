// `npm run bench -- --postgres`: the session path on PostgreSQL beside SQLite, in one run. Three
// deployments of the same production server (SQLite db, PostgreSQL db, PostgreSQL cached_db with
// Redis) each measure the baseline, a session read and session writes side by side; then PostgreSQL
// db alone reads at 1k and at 1M rows and clears the million while it reads. Writes
// bench/results-postgres.json (--quick: bench/.tmp/results-postgres-quick.json). See README, "Performance".
import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { databaseTargetOf } from "../lib/config/database.mjs";
import { applyMigrations } from "../lib/db/migrations.mjs";
import { startPostgres } from "../scripts/throwaway-postgres.mjs";
import {
  anonymousSessions,
  baselineScenario,
  buildUnlessSkipped,
  DATABASE_URL,
  DURATION,
  log,
  machine,
  measure,
  measureSideBySide,
  metrics,
  prepareDatabase,
  printGoals,
  printMarkdownTable,
  quick,
  readWhile,
  register,
  root,
  ROUNDS,
  runClear,
  SCALE_LABEL,
  SCALE_ROWS,
  sessionReadScenario,
  setRatios,
  withServer,
  writeManyScenario,
  writeOneScenario,
} from "./harness.mjs";
import { resultsFile } from "./options.mjs";
import { startRedis } from "../scripts/throwaway-redis.mjs";

const RESULTS = resultsFile(root, quick, true);
/** The scale check's small table, as scenario 7a reads SQLite at about a thousand rows. */
const SMALL_ROWS = 1000;
/** Rows per INSERT … SELECT while seeding: a few seconds each, so progress shows. */
const SEED_CHUNK = 100_000;

/** Pinned, so that the report names the pool every PostgreSQL deployment had (the server's default is 10). */
const POOL_SIZE = "10";

const SQLITE_DB = "SQLite db";
const POSTGRES_DB = "PostgreSQL db";
const POSTGRES_CACHED = "PostgreSQL cached_db + Redis";

/**
 * @typedef {object} Deployment
 * @property {string} name
 * @property {Record<string, string>} env what sets it apart; every other setting is the bench's own
 */

/**
 * The three deployments, each on a database of its own so that none inherits another's rows.
 * @param {{ createDatabase: (name: string) => Promise<string> }} postgres
 * @param {{ url: string }} redis
 * @returns {Promise<Deployment[]>}
 */
async function deployments(postgres, redis) {
  const [dbUrl, cachedUrl] = await Promise.all([
    postgres.createDatabase("bench_db"),
    postgres.createDatabase("bench_cached_db"),
  ]);
  for (const url of [dbUrl, cachedUrl]) await applyMigrations(databaseTargetOf(url));
  return [
    { name: SQLITE_DB, env: { DATABASE_URL, SESSION_ENGINE: "db", REDIS_URL: "" } },
    {
      name: POSTGRES_DB,
      env: { DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: POOL_SIZE, SESSION_ENGINE: "db", REDIS_URL: "" },
    },
    {
      name: POSTGRES_CACHED,
      env: {
        DATABASE_URL: cachedUrl,
        DATABASE_POOL_SIZE: POOL_SIZE,
        SESSION_ENGINE: "cached_db",
        REDIS_URL: redis.url,
      },
    },
  ];
}

/**
 * @typedef {Awaited<ReturnType<typeof measureScale>>} ScaleResult
 */

/**
 * Scenarios 1, 3, 4a and 4b on one deployment, side by side, then the scale check when asked for,
 * on the same server: each row is marked with its deployment and its ratio to that deployment's own
 * baseline.
 * @param {Deployment} deployment
 * @param {{ scale?: boolean }} [options]
 * @returns {Promise<{ rows: any[], scale?: ScaleResult["scale"] }>}
 */
async function measureDeployment(deployment, { scale = false } = {}) {
  log(`${deployment.name}: baseline, session read and session writes…`);
  return withServer({ env: deployment.env }, async () => {
    const cookie = await register(`bench-${Date.now()}@example.test`);
    const writers = await anonymousSessions(64);
    const rows = await measureSideBySide([
      baselineScenario(),
      sessionReadScenario(cookie),
      writeOneScenario(cookie),
      writeManyScenario(writers),
    ]);
    // The scale check runs on this server, warm: a server just started reads slower for its first
    // seconds (SQLite's 7a, measured after a restart, shows it), which would flatter the large
    // table's read against the small one's.
    const scaled = scale ? await measureScale(deployment) : undefined;
    const all = [...rows, ...(scaled?.rows ?? [])];
    setRatios(all, rows[0]?.rps ?? 0);
    return { rows: all.map((row) => ({ deployment: deployment.name, ...row })), scale: scaled?.scale };
  });
}

// One INSERT … SELECT per chunk: rows as the app writes them, made a day ago and expired since. The
// id is a UUIDv7 (48 bits of milliseconds, 20 rows to a millisecond as in scenario 7's SQLite seed,
// then version 7, variant and random bits), so the primary key grows in order as the app's does; the
// token hash is 64 random hex digits.
const SEED_SQL = `
  INSERT INTO "Session" ("id", "tokenHash", "data", "createdAt", "lastSeenAt", "expiresAt", "absoluteExpiresAt", "events")
  SELECT
    substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(h, 1, 3) || '-' ||
      substr('89ab', 1 + g % 4, 1) || substr(h, 4, 3) || '-' || substr(h, 7, 12),
    md5(random()::text) || md5(random()::text),
    '{}', $4::timestamp, $4::timestamp, $4::timestamp, $4::timestamp, '[]'
  FROM (
    SELECT g, lpad(to_hex($1::bigint + g / 20), 12, '0') AS t, md5(random()::text) AS h
    FROM generate_series($2::int, $3::int) AS g
  ) AS made`;

/**
 * Adds `count` expired rows to the Session table and returns how many rows it then holds.
 * @param {string} url
 * @param {number} count
 * @returns {Promise<number>}
 */
async function seedExpiredRows(url, count) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // a lost connection fails the query that needed it instead
  await client.connect();
  try {
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const made = Date.now() - 2 * 86_400_000;
    for (let done = 0; done < count; done += SEED_CHUNK) {
      await client.query(SEED_SQL, [made, done, Math.min(count, done + SEED_CHUNK) - 1, past]);
    }
    // A table that grew over weeks has been vacuumed and analysed by autovacuum long since. Without
    // this, autovacuum would start on the fresh million rows in the middle of the measurement, and
    // the first scan would write every page again to set its hint bits.
    await client.query('VACUUM (ANALYZE) "Session"');
    return await countRows(client);
  } finally {
    await client.end();
  }
}

/** @param {pg.Client} client */
async function countRows(client) {
  return Number((await client.query('SELECT count(*) AS n FROM "Session"')).rows[0]?.n ?? 0);
}

/** @param {string} url */
async function rowCount(url) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // a lost connection fails the query that needed it instead
  await client.connect();
  try {
    return await countRows(client);
  } finally {
    await client.end();
  }
}

/**
 * Scenario 7 on PostgreSQL db, against the running server: a session read at about a thousand
 * rows, then at a million more expired ones (as SQLite's 7a and 7b, with no in-process cache: under
 * PostgreSQL the db engine has none), then `npm run sessions:clear` in a separate process while
 * autocannon reads (7c).
 * @param {Deployment} deployment
 */
async function measureScale(deployment) {
  const url = deployment.env.DATABASE_URL ?? "";
  log(
    `${deployment.name}: session reads at ${SMALL_ROWS.toLocaleString("en")} and ${SCALE_LABEL} rows, then clearing…`,
  );
  const cookie = await register(`bench-scale-${Date.now()}@example.test`);
  const read = { path: "/api/session", headers: { cookie } };
  const rowsBefore = await seedExpiredRows(url, Math.max(0, SMALL_ROWS - (await rowCount(url))));
  const small = await measure(`7a. session read, ${rowsBefore.toLocaleString("en")} rows`, read);
  log(`seeding ${SCALE_ROWS.toLocaleString("en")} expired rows in PostgreSQL…`);
  const seedStarted = performance.now();
  const rowsAfter = await seedExpiredRows(url, SCALE_ROWS);
  log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const large = await measure(`7b. session read, ${rowsAfter.toLocaleString("en")} rows`, read);

  log("7c. npm run sessions:clear (PostgreSQL) under load…");
  await metrics(true);
  const { work: clear, reads } = await readWhile(cookie, () => runClear(deployment.env));
  const loop = (await metrics()).eventLoopDelayMs;
  const during = { name: "7c. session reads while clearing", connections: 16, ...reads };
  const rowsLeft = await rowCount(url);
  log(`cleared in ${clear.seconds.toFixed(1)} s (${clear.output}); worst read ${reads.max} ms; ${rowsLeft} rows left`);
  return {
    rows: [small, large, during],
    scale: {
      rowsBefore,
      rowsSeeded: SCALE_ROWS,
      rowsAfter,
      rowsLeft,
      // Wall time of the process, start-up included, as scenario 7c times SQLite's clear.
      clearSeconds: Math.round(clear.seconds * 10) / 10,
      clearOutput: clear.output,
      worstReadDuringClearMs: reads.max,
      // The server's own stalls while the clear ran, to tell them from waits on the database.
      eventLoopDelayDuringClearMs: loop,
    },
  };
}

/**
 * @param {{ deployment: string, name: string, rps: number, p50: number, ratio?: number, non2xx: number }[]} rows
 * @param {{ clearSeconds: number, worstReadDuringClearMs: number }} scale
 */
function goalsOf(rows, scale) {
  const row = (deployment, prefix) => {
    const found = rows.find((r) => r.deployment === deployment && r.name.startsWith(prefix));
    if (!found) throw new Error(`no result for ${deployment}, ${prefix}`);
    return found;
  };
  const ratio = (deployment, prefix) => row(deployment, prefix).ratio ?? 0;
  const perPostgres = [POSTGRES_DB, POSTGRES_CACHED].flatMap((deployment) => [
    [`${deployment}: session read ≥ 0.7× baseline`, ratio(deployment, "3.") >= 0.7],
    [
      `${deployment}: session write ≥ 0.5× baseline (one and 64 sessions)`,
      ratio(deployment, "4a.") >= 0.5 && ratio(deployment, "4b.") >= 0.5,
    ],
  ]);
  return [
    ...perPostgres,
    [
      `${POSTGRES_DB}: read at ${SCALE_LABEL} rows within 10% of 1k rows`,
      // As scenario 7 judges SQLite: the median latency, with half a millisecond for its rounding.
      row(POSTGRES_DB, "7b.").p50 <= row(POSTGRES_DB, "7a.").p50 * 1.1 + 0.5,
    ],
    [`${POSTGRES_DB}: clearing ${SCALE_LABEL} rows < 20 s`, scale.clearSeconds < 20],
    [`${POSTGRES_DB}: no request slower than 200 ms while clearing`, scale.worstReadDuringClearMs <= 200],
    ["zero non-2xx where success is expected", rows.every((r) => r.non2xx === 0)],
  ].map(([goal, met]) => ({ goal: String(goal), met: Boolean(met) }));
}

/** @param {{ scenarios: any[], scale: any, postgres: any, machine: any, goals: any[] }} summary */
function printTable(summary) {
  printMarkdownTable(
    ["deployment", "scenario", "conns", "req/s", "p50 ms", "p99 ms", "vs baseline", "non-2xx"],
    summary.scenarios.map((r) => [
      r.deployment,
      r.name,
      String(r.connections),
      String(r.rps),
      String(r.p50),
      String(r.p99),
      `${r.ratio}×`,
      String(r.non2xx),
    ]),
  );
  const s = summary.scale;
  const loop = s.eventLoopDelayDuringClearMs;
  console.log(
    `\nClearing ${(s.rowsAfter - s.rowsLeft).toLocaleString("en")} expired rows from PostgreSQL: ${s.clearSeconds} s (${s.clearOutput}); worst read meanwhile ${s.worstReadDuringClearMs} ms (server event-loop delay p99 ${loop.p99} ms, max ${loop.max} ms)`,
  );
  console.log(
    `PostgreSQL ${summary.postgres.version} (fsync on, synchronous_commit off), Redis ${summary.postgres.redis}, pool ${summary.postgres.poolSize} connections. Machine: ${summary.machine.cpu}, ${summary.machine.cores} cores, Node ${summary.machine.node}\n`,
  );
  printGoals(summary.goals);
}

/** @param {string} url */
async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // a lost connection fails the query that needed it instead
  await client.connect();
  try {
    return String((await client.query("SHOW server_version")).rows[0]?.server_version ?? "unknown");
  } finally {
    await client.end();
  }
}

export async function runPostgresComparison() {
  const started = Date.now();
  buildUnlessSkipped();
  await prepareDatabase();
  log("starting PostgreSQL and Redis…");
  // fsync stays on: synchronous_commit off alone matches SQLite's WAL with synchronous=NORMAL.
  const postgres = await startPostgres({ durable: true });
  let redis;
  try {
    redis = await startRedis();
    const all = await deployments(postgres, redis);
    const rows = [];
    let scale;
    for (const deployment of all) {
      const measured = await measureDeployment(deployment, { scale: deployment.name === POSTGRES_DB });
      rows.push(...measured.rows);
      scale ??= measured.scale;
    }
    if (!scale) throw new Error(`no scale check on ${POSTGRES_DB}`);

    const summary = {
      machine: machine(),
      date: new Date().toISOString(),
      durationSeconds: DURATION,
      rounds: ROUNDS,
      quick,
      postgres: {
        version: await serverVersion(postgres.url),
        settings: { fsync: "on", synchronous_commit: "off" },
        redis: redis.version,
        poolSize: Number(POOL_SIZE),
      },
      deployments: all.map((d) => ({
        name: d.name,
        sessionEngine: d.env.SESSION_ENGINE,
        redis: Boolean(d.env.REDIS_URL),
      })),
      scenarios: rows,
      scale,
      goals: goalsOf(rows, scale),
    };
    writeFileSync(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
    printTable(summary);
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote ${path.relative(root, RESULTS)}`);
  } finally {
    await redis?.stop();
    postgres.stop();
  }
}
