import { createClient } from "redis";
import type { Log } from "../store";

/**
 * A client that fails fast while Redis is away (no offline queue, a one-second command timeout)
 * and keeps reconnecting in the background; errors are logged once per outage, never thrown at
 * the process. Call `connect()` on it.
 */
export function createRedisConnection(url: string, log: Log = console.warn) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: 1000 },
    socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let down = false;
  client.on("error", (error: unknown) => {
    if (!down)
      log(`[sesame] Redis is unreachable (${error instanceof Error ? error.message : String(error)}); retrying.`);
    down = true;
  });
  client.on("ready", () => {
    if (down) log("[sesame] Redis is reachable again.");
    down = false;
  });
  return client;
}

export type RedisConnection = ReturnType<typeof createRedisConnection>;
