import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SESSION_ENGINES } from "@/lib/session/engine-catalogue";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Lines of tracked source files matching a regular expression, as "file:line: text". */
function grep(pattern: string, ...pathspecs: string[]): string[] {
  try {
    const out = execFileSync("git", ["grep", "-n", "-E", pattern, "--", ...pathspecs], { cwd: ROOT, encoding: "utf8" });
    return out.split("\n").filter(Boolean);
  } catch (error) {
    // git grep exits 1 when nothing matches.
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

const SOURCE = ["*.ts", "*.tsx", "*.mjs", "*.js", ":!lib/generated/**"];

describe("the architecture the README promises", () => {
  it("compares an engine's name only inside lib/session: everything else asks the catalogue's capabilities", () => {
    const names = SESSION_ENGINES.join("|");
    const compared = `(===|!==)\\s*["'](${names})["']|["'](${names})["']\\s*(===|!==)|case\\s+["'](${names})["']`;
    const outside = grep(compared, ...SOURCE, ":!lib/session/**", ":!tests/**", ":!e2e/**", ":!bench/**");
    expect(outside).toEqual([]);
  });

  it("reads the environment only in lib/config, apart from the NODE_ENV and NEXT_RUNTIME that Next.js sets", () => {
    const reads = grep("process\\.env", ...SOURCE, ":!lib/config/**").filter(
      (line) => !/process\.env\.(NODE_ENV|NEXT_RUNTIME)\b/.test(line),
    );
    expect(reads).toEqual([]);
  });

  it("finds the check above when it is broken, so an empty result means something", () => {
    const names = SESSION_ENGINES.join("|");
    expect(grep(`case\\s+["'](${names})["']`, "lib/session/backends/index.ts").length).toBeGreaterThan(0);
  });
});
