"use client";

import { useActionState, useState, type ChangeEvent, type ReactNode } from "react";
import { playgroundAction, type PlaygroundState } from "@/app/actions/playground";
import { Alert, Button, CallPair, CodeLine, Field } from "./ui";

/** Each button with the Sesame call it makes and the Django line for the same step. */
const OPERATIONS = [
  { op: "set", label: "Set", sesame: "session.set(key, value)", django: "request.session[key] = value", variant: "primary" },
  { op: "get", label: "Get", sesame: "session.get(key, fallback)", django: "request.session.get(key, default)", variant: "secondary" },
  { op: "delete", label: "Delete", sesame: "session.delete(key)", django: "del request.session[key]", variant: "secondary" },
  { op: "expiry", label: "Set expiry", sesame: "session.setExpiry(value)", django: "request.session.set_expiry(value)", variant: "secondary" },
  { op: "cycle", label: "Cycle key", sesame: "await session.cycleKey()", django: "request.session.cycle_key()", variant: "secondary" },
  { op: "flush", label: "Flush", sesame: "await session.flush()", django: "request.session.flush()", variant: "danger" },
] as const;

type FieldName = "key" | "value" | "default" | "expiry";

/** Django's request.session API, one button per call. */
export function Playground(): ReactNode {
  const [state, formAction, pending] = useActionState<PlaygroundState | undefined, FormData>(playgroundAction, undefined);
  // Controlled, so the fields keep their text after an action (React resets uncontrolled ones):
  // set a key, then get or delete it without typing it again.
  const [fields, setFields] = useState<Record<FieldName, string>>({ key: "", value: "", default: "", expiry: "" });
  const bind = (name: FieldName) => ({
    value: fields[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setFields((current) => ({ ...current, [name]: event.target.value })),
  });
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field
          label="Key"
          name="key"
          {...bind("key")}
          autoComplete="off"
          spellCheck={false}
          placeholder="cart"
          errors={state?.errors?.key}
        />
        <Field
          label="Value"
          name="value"
          {...bind("value")}
          autoComplete="off"
          spellCheck={false}
          placeholder="[1, 2]"
          hint="Any JSON value"
          errors={state?.errors?.value}
        />
        <Field
          label="Default"
          name="default"
          {...bind("default")}
          autoComplete="off"
          spellCheck={false}
          placeholder="null"
          hint="Returned by Get when the key is missing"
          errors={state?.errors?.default}
        />
        <Field
          label="Expiry"
          name="expiry"
          {...bind("expiry")}
          autoComplete="off"
          spellCheck={false}
          placeholder="300"
          hint="Seconds, 0 for browser close, a date, or empty for the default"
          errors={state?.errors?.expiry}
        />
      </div>
      <ul aria-label="Operations" className="flex flex-col gap-2">
        {OPERATIONS.map(({ op, label, sesame, django, variant }) => (
          <li
            key={op}
            className="flex flex-col gap-3 rounded-lg border border-stone-200 p-3 sm:flex-row sm:items-center dark:border-stone-800"
          >
            <Button
              type="submit"
              name="op"
              value={op}
              variant={variant}
              disabled={pending}
              aria-describedby={`op-${op}-calls`}
              className="sm:w-28 sm:shrink-0"
            >
              {label}
            </Button>
            <CallPair id={`op-${op}-calls`} className="min-w-0 flex-1" sesame={sesame} django={django} />
          </li>
        ))}
      </ul>
      <div aria-live="polite" role="status" className="flex flex-col gap-2">
        {pending ? <p className="text-sm text-stone-600 dark:text-stone-400">Working…</p> : null}
        {state ? (
          <Alert tone={state.ok ? "success" : "error"}>
            <p>{state.message}</p>
            {state.sesame && state.django ? (
              <div className="mt-2">
                <CallPair className="min-w-0 flex-1" sesame={state.sesame} django={state.django} />
              </div>
            ) : null}
            {state.apiError ? (
              <div className="mt-2 flex flex-col gap-1 text-xs">
                <p>The JSON API answers the same request with:</p>
                <CodeLine>404 {state.apiError}</CodeLine>
              </div>
            ) : null}
          </Alert>
        ) : null}
      </div>
    </form>
  );
}
