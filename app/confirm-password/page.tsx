import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConfirmPasswordForm } from "@/components/confirm-password-form";
import { Alert, Card, Code } from "@/components/ui";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { formatDuration, formatTime } from "@/lib/format";
import { passwordFreshness } from "@/lib/next/reauthentication";
import { getAuth } from "@/lib/next/session";

export const metadata: Metadata = { title: "Confirm your password" };

/** Sudo mode's prompt: sensitive actions past SESSION_REAUTH_WINDOW send the visitor here, then back to `next`. */
export default async function ConfirmPasswordPage({
  searchParams,
}: PageProps<"/confirm-password">): Promise<ReactNode> {
  const next = safeRedirectPath((await searchParams).next);
  const { session, user } = await getAuth();
  // Logging in enters the password too, so it leads straight back to where the visitor was going.
  if (!user) redirect(`/login?next=${encodeURIComponent(next)}`);
  const { windowSeconds, fresh, freshUntil } = await passwordFreshness(session);
  const window = formatDuration(windowSeconds);
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Confirm your password</h1>
      <p className="text-sm text-stone-600 dark:text-stone-400">
        Changing your password, deleting your account, ending your other sessions and, for superusers, the sessions
        admin need your password entered in the last {window}: this is{" "}
        <strong className="font-semibold text-stone-900 dark:text-stone-100">sudo mode</strong>. A session left open on
        a shared computer, or a copied cookie, cannot do these things alone.
      </p>
      {fresh && freshUntil ? (
        <Alert tone="info">
          You entered your password recently: it counts until{" "}
          <time dateTime={freshUntil.toISOString()}>{formatTime(freshUntil)}</time>. Confirming again gives you another{" "}
          {window}.
        </Alert>
      ) : (
        <p className="text-sm text-stone-600 dark:text-stone-400">
          You last entered it more than {window} ago, so Sesame asks for it again before going on.
        </p>
      )}
      <Card>
        <p className="mb-4 text-sm text-stone-600 dark:text-stone-400">
          Logged in as <strong className="break-all text-stone-900 dark:text-stone-100">{user.email}</strong>. After
          this you return to <Code>{next}</Code>, and for {window} nothing asks again.
        </p>
        <ConfirmPasswordForm email={user.email} next={next} />
      </Card>
    </div>
  );
}
