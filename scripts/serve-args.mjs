// The node flags of `npm run serve` (a capped heap, among others), so that the benchmark and the
// end-to-end tests that start servers of their own run them exactly as production does.
import { readFileSync } from "node:fs";
import path from "node:path";

/** `npm run serve`'s arguments to node: its flags, then server.mjs. */
export function serveArgs() {
  const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "package.json"), "utf8"));
  const [command, ...args] = pkg.scripts.serve.split(/\s+/);
  if (command !== "node") throw new Error(`expected "serve" to run node, not ${command}`);
  return args;
}
