import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { childEnv } from "../lib/config/tooling.mjs";
import { E2E_DATABASE_URL, E2E_DIR } from "./env";

/** A fresh, migrated database for every run. The server opens it lazily, on its first session request. */
export default function globalSetup(): void {
  rmSync(E2E_DIR, { recursive: true, force: true });
  mkdirSync(E2E_DIR, { recursive: true });
  execFileSync(path.join("node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    env: childEnv({ DATABASE_URL: E2E_DATABASE_URL }),
    stdio: "pipe",
  });
}
