"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { parseWriteCount, RACE_WRITES, RaceError, runRace, type RaceResult } from "./race";

type LabState =
  | { kind: "idle" }
  | { kind: "invalid"; message: string }
  | { kind: "failed"; message: string }
  | { kind: "done"; result: RaceResult };

const browserClient = {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  now: () => performance.now(),
};

function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/**
 * The lab's form, result and timeline. The writes leave from this browser, so the browser's own
 * cookie handling (it keeps the last Set-Cookie it receives) is part of what the lab shows.
 */
export function RaceLab({ mergesParallelWrites, why }: { mergesParallelWrites: boolean; why: string }): ReactNode {
  const [count, setCount] = useState(String(RACE_WRITES.default));
  const [state, setState] = useState<LabState>({ kind: "idle" });
  const [pending, setPending] = useState(false);

  async function race(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const parsed = parseWriteCount(count);
    if (!parsed.ok) {
      setState({ kind: "invalid", message: parsed.message });
      return;
    }
    setPending(true);
    try {
      setState({ kind: "done", result: await runRace(parsed.count, browserClient) });
    } catch (error) {
      setState({
        kind: "failed",
        message:
          error instanceof RaceError ? error.message : "The race could not reach the server. Check your connection.",
      });
    } finally {
      setPending(false);
    }
  }

  const result = state.kind === "done" ? state.result : null;
  const allSurvived = result !== null && result.survived === result.count;
  const longest = result ? Math.max(1, ...result.writes.map((write) => write.endedMs)) : 1;

  return (
    <div className="flex flex-col gap-4">
      {/* noValidate: an out-of-range number gets the lab's own message, not the browser's tooltip. */}
      <form onSubmit={race} noValidate className="flex flex-wrap items-end gap-3">
        <Field
          label="Parallel writes"
          name="writes"
          type="number"
          inputMode="numeric"
          min={RACE_WRITES.min}
          max={RACE_WRITES.max}
          value={count}
          onChange={(event) => setCount(event.target.value)}
          hint={`From ${RACE_WRITES.min} to ${RACE_WRITES.max}.`}
          errors={state.kind === "invalid" ? [state.message] : undefined}
          className="w-40"
        />
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Racing…" : "Run the race"}
        </Button>
      </form>

      <div role="status" aria-live="polite" aria-label="Race result" className="flex flex-col gap-2">
        {state.kind === "failed" ? <Alert tone="error">{state.message}</Alert> : null}
        {result ? (
          <Alert tone={allSurvived ? "success" : "error"}>
            <strong className="font-semibold">
              {result.survived} of {result.count} writes survived.
            </strong>{" "}
            {allSurvived === mergesParallelWrites
              ? why
              : allSurvived
                ? "This time the writes did not overlap, so no cookie overwrote another's change. Run it again."
                : "Some writes failed or were lost: see their status in the timeline."}
          </Alert>
        ) : null}
      </div>

      {result ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="mb-2 text-left text-sm text-stone-600 dark:text-stone-400">
              Timeline of the writes: when the page sent each one and when its answer came, in milliseconds after the
              race started.
            </caption>
            <thead>
              <tr className="border-b border-stone-200 dark:border-stone-800">
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Key
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Sent
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Answered
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Status
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Survived
                </th>
                <th scope="col" className="w-1/3 py-1.5 font-medium">
                  <span className="sr-only">Duration, drawn to scale</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {result.writes.map((write) => (
                <tr key={write.key} className="border-b border-stone-100 dark:border-stone-800/60">
                  <th scope="row" className="py-1 pr-3 font-mono font-normal">
                    {write.key}
                  </th>
                  <td className="py-1 pr-3 tabular-nums">{formatMs(write.startedMs)}</td>
                  <td className="py-1 pr-3 tabular-nums">{formatMs(write.endedMs)}</td>
                  <td className="py-1 pr-3 tabular-nums">{write.status ?? "No answer"}</td>
                  <td className="py-1 pr-3">
                    {write.survived ? "Yes" : <strong className="text-red-700 dark:text-red-400">Lost</strong>}
                  </td>
                  <td className="py-1" aria-hidden="true">
                    {/* The bar repeats the two times beside it, for the eye only. SVG attributes, not inline
                        styles, so the page's Content-Security-Policy (style-src with a nonce) has nothing to refuse. */}
                    <svg className="h-2 w-full rounded bg-stone-100 dark:bg-stone-800">
                      <rect
                        x={`${(write.startedMs / longest) * 100}%`}
                        width={`${Math.max(1, ((write.endedMs - write.startedMs) / longest) * 100)}%`}
                        height="100%"
                        rx="3"
                        className={
                          write.survived ? "fill-emerald-600 dark:fill-emerald-500" : "fill-red-600 dark:fill-red-500"
                        }
                      />
                    </svg>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
