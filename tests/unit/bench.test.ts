import path from "node:path";
import { describe, expect, it } from "vitest";
import { resultsFile, rowsLabel } from "../../bench/options.mjs";

describe("npm run bench", () => {
  it("names the rows a run seeded: 1M for a full run, 100K for --quick", () => {
    expect(rowsLabel(1_000_000)).toBe("1M");
    expect(rowsLabel(100_000)).toBe("100K");
  });

  it("writes a --quick run's results under the git-ignored bench/.tmp, never over bench/results.json", () => {
    expect(resultsFile("/repo", false)).toBe(path.join("/repo", "bench", "results.json"));
    expect(resultsFile("/repo", true)).toBe(path.join("/repo", "bench", ".tmp", "results-quick.json"));
  });
});
