import type { ComponentProps, ReactNode } from "react";

/** Sesame's small set of building blocks: one look for every page. */

export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

const buttonStyles = {
  primary: "bg-emerald-700 text-white hover:bg-emerald-800 dark:bg-emerald-600 dark:hover:bg-emerald-500",
  secondary:
    "border border-stone-300 bg-white text-stone-900 hover:bg-stone-100 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100 dark:hover:bg-stone-800",
  danger: "bg-red-700 text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-500",
} as const;

export function Button({
  variant = "primary",
  className,
  ...props
}: ComponentProps<"button"> & { variant?: keyof typeof buttonStyles }): ReactNode {
  return (
    <button
      className={cx(
        "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium transition-colors disabled:cursor-wait disabled:opacity-60",
        buttonStyles[variant],
        className,
      )}
      {...props}
    />
  );
}

export function Card({ title, children, className }: { title?: ReactNode; children: ReactNode; className?: string }): ReactNode {
  return (
    <section
      className={cx(
        "rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900",
        className,
      )}
    >
      {title ? <h2 className="mb-3 text-lg font-semibold">{title}</h2> : null}
      {children}
    </section>
  );
}

export function Alert({ tone = "info", children, id }: { tone?: "info" | "error" | "success"; children: ReactNode; id?: string }): ReactNode {
  const tones = {
    info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
    success: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  };
  return (
    <div id={id} className={cx("rounded-md border px-3 py-2 text-sm", tones[tone])}>
      {children}
    </div>
  );
}

/** A labelled input whose errors are tied to it with aria-describedby. */
export function Field({
  label,
  name,
  errors,
  hint,
  className,
  ...input
}: ComponentProps<"input"> & { label: string; name: string; errors?: string[]; hint?: string }): ReactNode {
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
        </p>
      ) : null}
    </div>
  );
}

export function Code({ children }: { children: ReactNode }): ReactNode {
  return <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono text-[0.85em] dark:bg-stone-800">{children}</code>;
}
