"use client";

import { useEffect, useState, type ReactNode } from "react";
import { formatCountdown } from "@/lib/format";
import { Badge, cx } from "./ui";

export interface CountdownSpec {
  id: string;
  label: string;
  /** Seconds left when the server rendered the page. */
  seconds: number;
  /** The moment itself, as an ISO string, and as the server formatted it. */
  at: string;
  atLabel: string;
  /** This one ends the session first. */
  first: boolean;
}

/** Whole seconds since the component mounted, updated once a second. */
function useElapsedSeconds(): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    const start = performance.now();
    const timer = window.setInterval(() => setElapsed(Math.floor((performance.now() - start) / 1000)), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return elapsed;
}

/**
 * Live countdowns fed by the server's numbers (never the cookie). The ticking text is a
 * role="timer" with aria-live="off", so screen readers are not interrupted every second;
 * the moment itself is stated once, in words, beside it. Give it a `key` that changes with
 * the server's render, so a refreshed page starts counting from the new numbers.
 */
export function Countdowns({ timers }: { timers: CountdownSpec[] }): ReactNode {
  const elapsed = useElapsedSeconds();
  return (
    <div className={cx("grid gap-3 sm:grid-cols-2", timers.length > 2 && "lg:grid-cols-3")}>
      {timers.map((timer) => {
        const left = Math.max(0, timer.seconds - elapsed);
        return (
          <div
            key={timer.id}
            className={cx(
              "flex flex-col gap-1 rounded-lg border p-4",
              timer.first
                ? "border-emerald-300 bg-emerald-50/70 dark:border-emerald-800 dark:bg-emerald-950/40"
                : "border-stone-200 dark:border-stone-800",
            )}
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p id={`countdown-${timer.id}`} className="text-sm font-medium">
                {timer.label}
              </p>
              {timer.first ? <Badge tone="success">Ends the session first</Badge> : null}
            </div>
            <p
              role="timer"
              aria-live="off"
              aria-labelledby={`countdown-${timer.id}`}
              className="font-mono text-2xl font-semibold tabular-nums sm:text-3xl"
            >
              {formatCountdown(left)}
            </p>
            <p className="text-xs text-stone-600 dark:text-stone-400">
              {left === 0 ? "Passed at " : "At "}
              <time dateTime={timer.at}>{timer.atLabel}</time>
            </p>
          </div>
        );
      })}
    </div>
  );
}
