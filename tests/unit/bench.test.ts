import path from "node:path";
import { describe, expect, it } from "vitest";
import { benchFlags, resultsFile, rowsLabel } from "../../bench/options.mjs";

describe("npm run bench", () => {
  it("names the rows a run seeded: 1M for a full run, 100K for --quick", () => {
    expect(rowsLabel(1_000_000)).toBe("1M");
    expect(rowsLabel(100_000)).toBe("100K");
  });

  it("writes a --quick run's results under the git-ignored bench/.tmp, never over bench/results.json", () => {
    expect(resultsFile("/repo", false)).toBe(path.join("/repo", "bench", "results.json"));
    expect(resultsFile("/repo", true)).toBe(path.join("/repo", "bench", ".tmp", "results-quick.json"));
  });

  it("writes the --postgres comparison to a file of its own, quick or not", () => {
    expect(resultsFile("/repo", false, true)).toBe(path.join("/repo", "bench", "results-postgres.json"));
    expect(resultsFile("/repo", true, true)).toBe(path.join("/repo", "bench", ".tmp", "results-postgres-quick.json"));
    const files = [false, true].flatMap((quick) => [resultsFile("/repo", quick), resultsFile("/repo", quick, true)]);
    expect(new Set(files).size).toBe(4);
  });

  it("reads --quick, --no-build and --postgres in any order, and refuses an option it does not know", () => {
    expect(benchFlags([])).toEqual({ quick: false, build: true, postgres: false });
    expect(benchFlags(["--postgres", "--no-build", "--quick"])).toEqual({ quick: true, build: false, postgres: true });
    expect(() => benchFlags(["--postgre"])).toThrow(/unknown option --postgre/);
  });
});
