// Small pieces of `npm run bench` that tests can check without running it.
import path from "node:path";

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
 * Where a run writes its results. Only a full run replaces the committed bench/results.json; a
 * --quick run's numbers go to the git-ignored bench/.tmp/.
 * @param {string} root the repository
 * @param {boolean} quick
 * @returns {string}
 */
export function resultsFile(root, quick) {
  return quick ? path.join(root, "bench", ".tmp", "results-quick.json") : path.join(root, "bench", "results.json");
}
