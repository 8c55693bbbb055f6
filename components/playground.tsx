"use client";

import { useActionState, type ReactNode } from "react";
import { playgroundAction, type PlaygroundState } from "@/app/actions/playground";
import { Alert, Button, Code, Field } from "./ui";

const OPERATIONS = [
  { op: "set", label: "Set", django: "request.session[key] = value", variant: "primary" },
  { op: "get", label: "Get", django: "request.session.get(key, default)", variant: "secondary" },
  { op: "delete", label: "Delete", django: "del request.session[key]", variant: "secondary" },
  { op: "expiry", label: "Set expiry", django: "request.session.set_expiry(value)", variant: "secondary" },
  { op: "cycle", label: "Cycle key", django: "request.session.cycle_key()", variant: "secondary" },
  { op: "flush", label: "Flush", django: "request.session.flush()", variant: "danger" },
] as const;

/** Django's request.session API, one button per call. */
export function Playground(): ReactNode {
  const [state, formAction, pending] = useActionState<PlaygroundState | undefined, FormData>(playgroundAction, undefined);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Key" name="key" autoComplete="off" spellCheck={false} placeholder="cart" errors={state?.errors?.key} />
        <Field
          label="Value"
          name="value"
          autoComplete="off"
          spellCheck={false}
          placeholder="[1, 2]"
          hint="Any JSON value"
          errors={state?.errors?.value}
        />
        <Field
          label="Default"
          name="default"
          autoComplete="off"
          spellCheck={false}
          placeholder="null"
          hint="Returned by Get when the key is missing"
          errors={state?.errors?.default}
        />
        <Field
          label="Expiry"
          name="expiry"
          autoComplete="off"
          spellCheck={false}
          placeholder="300"
          hint="Seconds, 0 for browser close, a date, or empty for the default"
          errors={state?.errors?.expiry}
        />
      </div>
      <ul className="grid gap-2 sm:grid-cols-3 lg:grid-cols-6">
        {OPERATIONS.map(({ op, label, django, variant }) => (
          <li key={op} className="flex flex-col gap-1">
            <Button type="submit" name="op" value={op} variant={variant} disabled={pending}>
              {label}
            </Button>
            <span className="text-center font-mono text-xs text-stone-600 dark:text-stone-400">{django}</span>
          </li>
        ))}
      </ul>
      <div aria-live="polite" role="status" className="flex flex-col gap-2">
        {pending ? <p className="text-sm text-stone-600 dark:text-stone-400">Working…</p> : null}
        {state ? (
          <Alert tone={state.ok ? "success" : "error"}>
            <p>{state.message}</p>
            {state.sesame && state.django ? (
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                <dt>Sesame</dt>
                <dd>
                  <Code>{state.sesame}</Code>
                </dd>
                <dt>Django</dt>
                <dd>
                  <Code>{state.django}</Code>
                </dd>
              </dl>
            ) : null}
            {state.apiError ? (
              <p className="mt-2 text-xs">
                The API answers <Code>404 {state.apiError}</Code>
              </p>
            ) : null}
          </Alert>
        ) : null}
      </div>
    </form>
  );
}
