// Runs before `npm start` serves: builds the app only when its sources changed since the build this
// script last made, so a second start serves at once. A download of the project may have no git,
// so it hashes the files itself and keeps the hash, with the build's id, in .next/.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const STAMP = path.join(".next", "sesame-build-stamp.json");
const BUILD_ID = path.join(".next", "BUILD_ID");

/** Never part of what `next build` compiles: dependencies (package-lock.json stands for them), output, VCS. */
const SKIPPED_FOLDERS = new Set(["node_modules", ".next", ".git"]);
/**
 * Paths the build does not read (tests, benchmarks, documentation and what they write), or that
 * are derived from files hashed anyway: the Prisma client, generated from prisma/schema.prisma by
 * the Prisma version in package-lock.json at every install, in an order that varies.
 */
const SKIPPED_PATHS = new Set([
  ".ci",
  "bench",
  "coverage",
  "docs",
  "e2e",
  "lib/generated",
  "next-env.d.ts",
  "playwright-report",
  "README.md",
  "test-results",
  "tests",
]);
/** Files that change while the app runs or tests run: the SQLite database, logs, TypeScript's cache. */
const SKIPPED_FILE = /(\.db(-journal|-wal|-shm)?|\.log|\.tsbuildinfo)$/;

/**
 * The files whose content decides the build, relative to `root` and sorted: everything except the
 * entries above. Anything new (a folder of components, a config file) counts without a change here.
 * @param {string} root
 * @returns {string[]}
 */
export function sourceFiles(root) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} relative */
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (SKIPPED_PATHS.has(child)) continue;
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(child);
      else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) files.push(child);
    }
  };
  walk("");
  return files.sort();
}

/**
 * SHA-256 over every source file's path and content.
 * @param {string} root
 * @returns {string}
 */
export function sourceHash(root) {
  const hash = createHash("sha256");
  for (const file of sourceFiles(root)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/**
 * Whether .next/ holds the build this script made from exactly these sources. A build made some
 * other way (the tests, the benchmark, a plain `next build`) has another id, so it counts as stale.
 * @param {string} root
 * @param {string} hash the current sourceHash(root)
 * @returns {boolean}
 */
export function isBuildCurrent(root, hash) {
  const stampFile = path.join(root, STAMP);
  const buildIdFile = path.join(root, BUILD_ID);
  if (!existsSync(stampFile) || !existsSync(buildIdFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
    return stamp.sources === hash && stamp.buildId === readFileSync(buildIdFile, "utf8").trim();
  } catch {
    return false;
  }
}

/**
 * Records that the build now in .next/ was made from sources with this hash.
 * @param {string} root
 * @param {string} hash
 */
export function writeStamp(root, hash) {
  const buildId = readFileSync(path.join(root, BUILD_ID), "utf8").trim();
  writeFileSync(path.join(root, STAMP), `${JSON.stringify({ sources: hash, buildId })}\n`);
}

function main() {
  const root = path.resolve(import.meta.dirname, "..");
  // Hashed before building: a file edited during the build makes the next start build again.
  const hash = sourceHash(root);
  if (isBuildCurrent(root, hash)) {
    console.log("[sesame] The build is up to date with the sources; serving it.");
    return;
  }
  console.log("[sesame] The sources changed since the last build (or there is none): building…");
  execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "inherit" });
  writeStamp(root, hash);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
