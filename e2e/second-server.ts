import { spawn } from "node:child_process";
import { childEnv } from "../lib/config/tooling.mjs";
import { serveArgs } from "../scripts/serve-args.mjs";
import { E2E_BCRYPT_COST, E2E_DATABASE_URL, E2E_SESSION_SECRET } from "./env";
import { test } from "./fixtures";

export interface SecondServer {
  origin: string;
  stop: () => void;
}

/**
 * Another production server on the test build and database, started as `npm run serve` starts it,
 * with its own settings (another session engine, an untrusted proxy, tighter limits): for the
 * specs that compare two deployments or push one to its limits.
 */
export async function startSecondServer(port: number, env: Record<string, string>): Promise<SecondServer> {
  const origin = `http://localhost:${port}`;
  const child = spawn(process.execPath, serveArgs(), {
    env: childEnv({
      PORT: String(port),
      DATABASE_URL: E2E_DATABASE_URL,
      SESSION_SECRET: E2E_SESSION_SECRET,
      BCRYPT_COST: String(E2E_BCRYPT_COST),
      ...env,
    }),
    stdio: "ignore",
  });
  const stop = (): void => {
    child.kill();
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      await fetch(`${origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { origin, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error(`the second server (${JSON.stringify(env)}) did not start on port ${port}`);
}

/**
 * A second server for the tests of one spec file: started before its first test, stopped after its
 * last. The file's tests then run in order, in one worker, since the server holds a fixed port.
 * Returns the server's origin.
 */
export function useSecondServer(port: number, env: Record<string, string>): string {
  let server: SecondServer | undefined;
  test.describe.configure({ mode: "serial" });
  test.beforeAll(async () => {
    server = await startSecondServer(port, env);
  });
  test.afterAll(() => {
    server?.stop();
  });
  return `http://localhost:${port}`;
}
