import type { SessionStore } from "./store";

export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Django needs a cron job for `clearsessions`; Sesame also clears expired sessions itself,
 * once an hour, on a timer that never delays a request or keeps the process alive.
 */
export function scheduleClearExpired(
  getStore: () => Promise<SessionStore>,
  log: (message: string) => void = console.log,
  intervalMs = HOUSEKEEPING_INTERVAL_MS,
): () => void {
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const removed = await (await getStore()).clearExpired(new Date());
      if (removed > 0) log(`[sesame] cleared ${removed} expired session${removed === 1 ? "" : "s"}`);
    } catch (error) {
      log(`[sesame] clearing expired sessions failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 60_000);
  const timer = setInterval(() => void run(), intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
