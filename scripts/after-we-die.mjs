// Cleanup that survives a SIGKILL. The throwaway servers are stopped by exit hooks, but a process
// killed with SIGKILL (a CI timeout, `kill -9`, the OOM killer) runs none, and its PostgreSQL or
// redis-server would run on. A detached shell watches this process and runs the cleanup once it is gone.
import { spawn } from "node:child_process";

/**
 * Runs `script` with `sh` (its arguments as "$1", "$2", …) as soon as this process has ended, however
 * it ended. The watcher polls once a second and costs nothing else. Returns a function that calls the
 * watch off, once the service was stopped the normal way.
 * @param {string} script
 * @param {string[]} args
 * @returns {() => void}
 */
export function cleanUpAfterExit(script, args) {
  const watch = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${script}`;
  const watcher = spawn("sh", ["-c", watch, "sh", ...args], { detached: true, stdio: "ignore" });
  watcher.unref();
  return () => {
    try {
      if (watcher.pid !== undefined) process.kill(watcher.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
}
