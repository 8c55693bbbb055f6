"use client";

import { useActionState, useEffect, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from "react";
import { playgroundAction, type Operation, type PlaygroundState } from "@/app/actions/playground";
import { Alert, Button, ButtonLink, CallPair, CodeLine, Field } from "./ui";

/** Each button with the Sesame call it makes and the Django line for the same step. */
const OPERATIONS = [
  {
    op: "set",
    label: "Set",
    sesame: "session.set(key, value)",
    django: "request.session[key] = value",
    variant: "primary",
  },
  {
    op: "get",
    label: "Get",
    sesame: "session.get(key, fallback)",
    django: "request.session.get(key, default)",
    variant: "secondary",
  },
  {
    op: "delete",
    label: "Delete",
    sesame: "session.delete(key)",
    django: "del request.session[key]",
    variant: "secondary",
  },
  {
    op: "expiry",
    label: "Set expiry",
    sesame: "session.setExpiry(value)",
    django: "request.session.set_expiry(value)",
    variant: "secondary",
  },
  {
    op: "cycle",
    label: "Cycle key",
    sesame: "await session.cycleKey()",
    django: "request.session.cycle_key()",
    variant: "secondary",
  },
  {
    op: "flush",
    label: "Flush",
    sesame: "await session.flush()",
    django: "request.session.flush()",
    variant: "danger",
  },
] as const;

type FieldName = "key" | "value" | "default" | "expiry";

/** Django's request.session API, one button per call; each call's result shows under its own button. */
export function Playground(): ReactNode {
  const [state, formAction, pending] = useActionState<PlaygroundState | undefined, FormData>(
    playgroundAction,
    undefined,
  );
  // Controlled, so the fields keep their text after an action (React resets uncontrolled ones):
  // set a key, then get or delete it without typing it again.
  const [fields, setFields] = useState<Record<FieldName, string>>({ key: "", value: "", default: "", expiry: "" });
  const bind = (name: FieldName) => ({
    value: fields[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) =>
      setFields((current) => ({ ...current, [name]: event.target.value })),
  });
  // The operation under way, known before the server answers; Enter in a field submits with Set.
  const [submitted, setSubmitted] = useState<Operation | null>(null);
  const answering = pending ? submitted : (state?.op ?? null);
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // On a phone the result may sit below the fold; bring it into view without moving the focus.
    if (state) result.current?.scrollIntoView({ block: "nearest" });
  }, [state]);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    // The buttons stay enabled while a call runs (disabling the focused one would drop focus to
    // the page), so a second submit is refused here instead.
    if (pending) {
      event.preventDefault();
      return;
    }
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    setSubmitted(submitter instanceof HTMLButtonElement ? (submitter.value as Operation) : "set");
  };

  const outcome = state ? (
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
  ) : null;

  return (
    <form action={formAction} onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
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
          <li key={op} className="flex flex-col gap-3 rounded-lg border border-stone-200 p-3 dark:border-stone-800">
            <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
              <Button
                type="submit"
                name="op"
                value={op}
                variant={variant}
                aria-disabled={pending}
                aria-describedby={`op-${op}-calls`}
                className="sm:w-28 sm:shrink-0"
              >
                {label}
              </Button>
              <CallPair id={`op-${op}-calls`} className="min-w-0 flex-1" sesame={sesame} django={django} />
            </div>
            {/* Always present, so screen readers announce the result that appears in it; empty, it takes no room. */}
            <div role="status" aria-live="polite" className="flex flex-col gap-2 empty:absolute">
              {answering === op && pending ? (
                <p className="text-sm text-stone-600 dark:text-stone-400">Working…</p>
              ) : null}
              {answering === op && !pending ? <div ref={result}>{outcome}</div> : null}
            </div>
          </li>
        ))}
        {/* Sudo mode asks for the password, so it is a page of its own rather than a call made here. */}
        <li className="flex flex-col gap-3 rounded-lg border border-stone-200 p-3 sm:flex-row sm:items-center dark:border-stone-800">
          <ButtonLink
            href={`/confirm-password?next=${encodeURIComponent("/dashboard#expiry")}`}
            aria-describedby="op-confirm-calls"
            className="sm:w-28 sm:shrink-0"
          >
            Confirm password
          </ButtonLink>
          <CallPair
            id="op-confirm-calls"
            className="min-w-0 flex-1"
            sesame="await requireFreshPasswordOrRedirect(session, next)"
            django="@sudo_required # django-sudo; Laravel: ->middleware('password.confirm')"
          />
        </li>
      </ul>
      {/* A result no button answers for (an unknown operation) still has a place. */}
      <div role="status" aria-live="polite" className="empty:absolute">
        {state && !state.op && !pending ? outcome : null}
      </div>
    </form>
  );
}
