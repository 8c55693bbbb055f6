import type { ReactNode } from "react";
import { describeDuration, formatDuration, formatTime } from "@/lib/format";
import type { PasswordFreshness } from "@/lib/next/reauthentication";
import { Alert, Code } from "./ui";

/**
 * Tells the visitor, before they press anything, that the page's actions ask for the password once
 * sudo mode's window has passed, and how long they have left, so the prompt is no surprise.
 */
export function SudoNote({
  freshness,
  actions,
  now,
}: {
  freshness: PasswordFreshness;
  /** What the page's sensitive actions are, in words: "Changing your password and deleting your account". */
  actions: string;
  now: Date;
}): ReactNode {
  const { windowSeconds, fresh, freshUntil } = freshness;
  const window = formatDuration(windowSeconds);
  return (
    <Alert tone="info">
      <p>
        <strong className="font-semibold">Sudo mode.</strong> {actions} need your password entered in the last {window}{" "}
        (<Code>SESSION_REAUTH_WINDOW</Code>).{" "}
        {fresh && freshUntil ? (
          <>
            Yours counts until <time dateTime={freshUntil.toISOString()}>{formatTime(freshUntil)}</time>, about{" "}
            {describeDuration((freshUntil.getTime() - now.getTime()) / 1000)} from now; after that, Sesame asks for it
            again first.
          </>
        ) : (
          <>You entered it longer ago, so Sesame will ask for it first.</>
        )}
      </p>
    </Alert>
  );
}
