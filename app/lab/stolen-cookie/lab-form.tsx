"use client";

import { useActionState, type ReactNode } from "react";
import { Alert, Button } from "@/components/ui";
import { replayStolenCookieAction, type LabState } from "./actions";

/**
 * The lab's one button and its result. Rendered whether or not the visitor is logged in, so the
 * result stays on screen after the action has logged them out.
 */
export function StolenCookieLab({ loggedIn }: { loggedIn: boolean }): ReactNode {
  const [state, run, pending] = useActionState<LabState | undefined, FormData>(replayStolenCookieAction, undefined);
  return (
    <div className="flex flex-col gap-4">
      {loggedIn ? (
        <form action={run}>
          <Button type="submit" variant="danger" disabled={pending} aria-busy={pending}>
            {pending ? "Copying, logging out, replaying…" : "Copy my cookie, log out, replay it"}
          </Button>
        </form>
      ) : null}
      <div role="status" aria-live="polite" aria-label="Lab result" className="flex flex-col gap-3">
        {state ? (
          <>
            <Alert tone={!state.ok ? "error" : state.outcome === "accepted" ? "error" : "success"}>
              <strong className="font-semibold">{state.message}</strong>
            </Alert>
            {state.steps ? (
              <ol className="list-decimal pl-5 text-sm text-stone-700 dark:text-stone-300">
                {state.steps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
