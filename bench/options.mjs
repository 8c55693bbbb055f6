// Small pieces of `npm run bench` that tests can check without running it.
import path from "node:path";

/**
 * @typedef {object} BenchFlags
 * @property {boolean} quick --quick: short durations, one round, 100K rows instead of 1M.
 * @property {boolean} build false under --no-build, which reuses the last `next build`.
 * @property {boolean} postgres --postgres: only the SQLite/PostgreSQL comparison, not the SQLite suite.
 */

/**
 * The command line of `npm run bench -- …`.
 * @param {readonly string[]} args process.argv without node and the script
 * @returns {BenchFlags}
 */
export function benchFlags(args) {
  const known = new Set(["--quick", "--no-build", "--postgres"]);
  const unknown = args.filter((arg) => !known.has(arg));
  // A typo such as --postgre would otherwise run the five-minute SQLite suite instead.
  if (unknown.length > 0)
    throw new Error(`unknown option ${unknown.join(", ")}: use --quick, --no-build or --postgres`);
  return {
    quick: args.includes("--quick"),
    build: !args.includes("--no-build"),
    postgres: args.includes("--postgres"),
  };
}

/**
 * A row count as the checks name it: "1M" for a full run's million rows, "100K" for a --quick
 * run's hundred thousand, so a label never claims more than was measured.
 * @param {number} rows
 * @returns {string}
 */
export function rowsLabel(rows) {
  return new Intl.NumberFormat("en", { notation: "compact" }).format(rows);
}

/**
 * Where a run writes its results. Only a full run replaces a committed file (bench/results.json, or
 * bench/results-postgres.json for --postgres); a --quick run's numbers go to the git-ignored
 * bench/.tmp/. The two suites never write over each other.
 * @param {string} root the repository
 * @param {boolean} quick
 * @param {boolean} [postgres] the --postgres comparison rather than the SQLite suite
 * @returns {string}
 */
export function resultsFile(root, quick, postgres = false) {
  const name = postgres ? "results-postgres" : "results";
  return quick ? path.join(root, "bench", ".tmp", `${name}-quick.json`) : path.join(root, "bench", `${name}.json`);
}
