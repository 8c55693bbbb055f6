import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";

/** Sesame's small set of building blocks: one look for every page. */

export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

const buttonStyles = {
  primary: "bg-emerald-700 text-white hover:bg-emerald-800 dark:bg-emerald-700 dark:hover:bg-emerald-800",
  secondary:
    "border border-stone-300 bg-white text-stone-900 hover:bg-stone-100 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100 dark:hover:bg-stone-800",
  danger: "bg-red-700 text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-500",
} as const;
/** The shape every button has, a ButtonLink included. */
const buttonShape =
  "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium transition-colors";

export function Button({
  variant = "primary",
  className,
  ...props
}: ComponentProps<"button"> & { variant?: keyof typeof buttonStyles }): ReactNode {
  return (
    <button
      className={cx(
        buttonShape,
        "disabled:cursor-wait disabled:opacity-60 aria-disabled:cursor-wait aria-disabled:opacity-60",
        buttonStyles[variant],
        className,
      )}
      {...props}
    />
  );
}

/** A link that looks like a Button: for a step that is a page of its own, not a submit. */
export function ButtonLink({
  variant = "secondary",
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: keyof typeof buttonStyles }): ReactNode {
  return <Link className={cx(buttonShape, "text-center", buttonStyles[variant], className)} {...props} />;
}

export function Card({
  title,
  children,
  className,
  headingLevel = 2,
  id,
  description,
}: {
  title?: ReactNode;
  children: ReactNode;
  className?: string;
  /** h2 by default; h3 for cards nested under a section heading. */
  headingLevel?: 2 | 3;
  /** With an id and a title the card becomes a named region, reachable by landmark navigation. */
  id?: string;
  /** A short line under the title. */
  description?: ReactNode;
}): ReactNode {
  const Heading = headingLevel === 3 ? "h3" : "h2";
  const headingId = id && title ? `${id}-title` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={cx(
        "rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900",
        className,
      )}
    >
      {title ? (
        <Heading id={headingId} className={cx("text-lg font-semibold", description ? "mb-1" : "mb-3")}>
          {title}
        </Heading>
      ) : null}
      {description ? <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">{description}</p> : null}
      {children}
    </section>
  );
}

export function Alert({
  tone = "info",
  children,
  id,
}: {
  tone?: "info" | "error" | "success";
  children: ReactNode;
  id?: string;
}): ReactNode {
  const tones = {
    info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
    success:
      "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  };
  return (
    <div id={id} className={cx("rounded-md border px-3 py-2 text-sm", tones[tone])}>
      {children}
    </div>
  );
}

/**
 * A form's message in a live region that is always present, so screen readers announce the message
 * when it appears. Empty, it is taken out of the flow, so the form's gap leaves no blank line above
 * the first field.
 */
export function FormMessage({
  message,
  tone = "error",
}: {
  message: string | undefined;
  tone?: "error" | "success";
}): ReactNode {
  return (
    <div aria-live="polite" role="status" className="empty:absolute">
      {message ? <Alert tone={tone}>{message}</Alert> : null}
    </div>
  );
}

/** A hidden username field, so password managers can tell which account a password belongs to. */
export function UsernameHint({ email }: { email: string }): ReactNode {
  return <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />;
}

/**
 * A labelled input whose errors are tied to it with aria-describedby. `errorAction` follows the
 * errors in the same sentence, for a way out such as a link ("Log in instead?").
 */
export function Field({
  label,
  name,
  errors,
  errorAction,
  hint,
  className,
  ...input
}: ComponentProps<"input"> & {
  label: string;
  name: string;
  errors?: string[];
  errorAction?: ReactNode;
  hint?: string;
}): ReactNode {
  const id = input.id ?? `field-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className={cx(
          "rounded-md border bg-white px-3 py-2 text-base shadow-sm dark:bg-stone-950",
          errors?.length ? "border-red-600 dark:border-red-500" : "border-stone-300 dark:border-stone-700",
        )}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-stone-600 dark:text-stone-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors.join(" ")}
          {errorAction ? <> {errorAction}</> : null}
        </p>
      ) : null}
    </div>
  );
}

export function Code({ children }: { children: ReactNode }): ReactNode {
  return (
    <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono text-[0.85em] dark:bg-stone-800">{children}</code>
  );
}

/** The one link style for links inside text. */
export const linkClass =
  "font-medium text-emerald-800 underline decoration-emerald-700/40 underline-offset-2 hover:decoration-current dark:text-emerald-300 dark:decoration-emerald-300/40";

export function TextLink({ className, ...props }: ComponentProps<typeof Link>): ReactNode {
  return <Link className={cx(linkClass, className)} {...props} />;
}

const badgeTones = {
  neutral: "bg-stone-100 text-stone-700 ring-stone-300 dark:bg-stone-800 dark:text-stone-200 dark:ring-stone-700",
  success:
    "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  info: "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  warning: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
} as const;

/** A small pill for a state: "Done", "not set", "engine db". */
export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: keyof typeof badgeTones;
  children: ReactNode;
  className?: string;
}): ReactNode {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        badgeTones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

export interface Fact {
  term: ReactNode;
  value: ReactNode;
  /** A one-line explanation under the value. */
  hint?: ReactNode;
}

/** Label-and-value pairs, stacked so they fit narrow panels; `columns` puts the term beside the value from sm up. */
export function Facts({
  items,
  columns = false,
  className,
}: {
  items: Fact[];
  columns?: boolean;
  className?: string;
}): ReactNode {
  return (
    <dl
      className={cx(
        "grid gap-y-3 text-sm",
        columns && "sm:grid-cols-[minmax(7rem,auto)_1fr] sm:gap-x-4 sm:gap-y-2",
        className,
      )}
    >
      {items.map((item, index) => (
        <div key={index} className={cx("flex min-w-0 flex-col gap-0.5", columns && "sm:contents")}>
          <dt className="text-xs font-medium tracking-wide text-stone-600 uppercase dark:text-stone-400">
            {item.term}
          </dt>
          <dd className="min-w-0 break-words">
            {item.value}
            {item.hint ? (
              <span className="mt-0.5 block text-xs text-stone-600 dark:text-stone-400">{item.hint}</span>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A line of code on its own block; long lines wrap where they must rather than scroll. */
export function CodeLine({ children, className }: { children: ReactNode; className?: string }): ReactNode {
  return (
    <code
      className={cx(
        "block rounded-md bg-stone-100 px-2 py-1 font-mono text-xs whitespace-pre-wrap wrap-break-word text-stone-900 dark:bg-stone-800 dark:text-stone-100",
        className,
      )}
    >
      {children}
    </code>
  );
}

/** The two lines for one step, labelled by language. */
export function CallPair({
  sesame,
  django,
  id,
  className,
}: {
  sesame: ReactNode;
  django: ReactNode;
  id?: string;
  className?: string;
}): ReactNode {
  return (
    <dl id={id} className={cx("grid gap-2 text-xs sm:grid-cols-2", className)}>
      <div className="flex min-w-0 flex-col gap-1">
        <dt className="font-medium text-stone-600 dark:text-stone-400">Sesame (TypeScript)</dt>
        <dd>
          <CodeLine>{sesame}</CodeLine>
        </dd>
      </div>
      <div className="flex min-w-0 flex-col gap-1">
        <dt className="font-medium text-stone-600 dark:text-stone-400">Django (Python)</dt>
        <dd>
          <CodeLine>{django}</CodeLine>
        </dd>
      </div>
    </dl>
  );
}

/**
 * The Django equivalent of a control that is not a playground call: one small line under it, in the
 * words CallPair uses. Give it an id and point the control's aria-describedby at it to have screen
 * readers announce it with the control.
 */
export function DjangoHint({
  children,
  id,
  className,
}: {
  children: ReactNode;
  id?: string;
  className?: string;
}): ReactNode {
  return (
    // A flex row, so a line too long to sit beside its label moves under it whole, instead of breaking mid-call.
    <p
      id={id}
      className={cx(
        "flex flex-wrap items-baseline gap-x-1.5 gap-y-1 text-xs text-stone-600 dark:text-stone-400",
        className,
      )}
    >
      <span className="font-medium">Django (Python):</span>{" "}
      <code className="min-w-0 rounded bg-stone-100 px-1 py-0.5 font-mono whitespace-pre-wrap wrap-break-word text-stone-800 dark:bg-stone-800 dark:text-stone-200">
        {children}
      </code>
    </p>
  );
}
