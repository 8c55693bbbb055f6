import type { ReactNode } from "react";
import { Badge, CallPair, cx, TextLink } from "./ui";

export type StepStatus = "done" | "current" | "ahead";

export interface WalkthroughStepProps {
  number: number;
  title: string;
  status: StepStatus;
  /** What happens at this step, in general. */
  children: ReactNode;
  /** The visitor's own values for this step. */
  yours: ReactNode;
  tryIt: { href: string; label: string };
  sesame: string;
  django: string;
}

const STATUS: Record<StepStatus, { label: string; tone: "success" | "info" | "neutral" }> = {
  done: { label: "Done", tone: "success" },
  current: { label: "You are here", tone: "info" },
  ahead: { label: "Still ahead", tone: "neutral" },
};

/** The numbered steps of the walkthrough, joined by a line. */
export function WalkthroughSteps({ children }: { children: ReactNode }): ReactNode {
  return <ol className="flex flex-col gap-4">{children}</ol>;
}

/** One step of the walkthrough: what happens, your own values, the Sesame and Django lines, and where to try it. */
export function WalkthroughStep({
  number,
  title,
  status,
  children,
  yours,
  tryIt,
  sesame,
  django,
}: WalkthroughStepProps): ReactNode {
  const headingId = `step-${number}-title`;
  const { label, tone } = STATUS[status];
  return (
    <li aria-current={status === "current" ? "step" : undefined} className="group flex gap-4">
      <div className="hidden flex-col items-center sm:flex">
        <span
          aria-hidden="true"
          className={cx(
            "flex size-9 shrink-0 items-center justify-center rounded-full text-sm font-semibold ring-2",
            status === "done" && "bg-emerald-700 text-white ring-emerald-700 dark:bg-emerald-700 dark:ring-emerald-700",
            status === "current" &&
              "bg-white text-sky-800 ring-sky-600 dark:bg-stone-900 dark:text-sky-200 dark:ring-sky-400",
            status === "ahead" &&
              "bg-white text-stone-700 ring-stone-300 dark:bg-stone-900 dark:text-stone-200 dark:ring-stone-700",
          )}
        >
          {number}
        </span>
        <span aria-hidden="true" className="mt-2 w-px flex-1 bg-stone-300 group-last:hidden dark:bg-stone-700" />
      </div>
      <section
        aria-labelledby={headingId}
        className={cx(
          "mb-2 flex min-w-0 flex-1 flex-col gap-3 rounded-xl border bg-white p-4 shadow-sm sm:p-5 dark:bg-stone-900",
          status === "current" ? "border-sky-300 dark:border-sky-800" : "border-stone-200 dark:border-stone-800",
        )}
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id={headingId} className="flex items-baseline gap-2 text-lg font-semibold">
            <span className="sr-only">Step {number}: </span>
            <span aria-hidden="true" className="text-emerald-800 tabular-nums sm:hidden dark:text-emerald-300">
              {number}.
            </span>
            <span>{title}</span>
          </h2>
          <Badge tone={tone}>{label}</Badge>
        </div>
        <div className="text-sm text-stone-700 dark:text-stone-300">{children}</div>
        <div className="rounded-lg bg-stone-100 p-3 text-sm dark:bg-stone-800/70">
          <p className="mb-1 text-xs font-medium tracking-wide text-stone-600 uppercase dark:text-stone-300">
            Your session
          </p>
          <div>{yours}</div>
        </div>
        <CallPair sesame={sesame} django={django} />
        <p className="text-sm">
          <span className="font-medium">Try it: </span>
          <TextLink href={tryIt.href}>{tryIt.label}</TextLink>
        </p>
      </section>
    </li>
  );
}
