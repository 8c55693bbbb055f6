import type { ReactNode } from "react";
import { formatDuration, formatTime, oncePer } from "@/lib/format";
import { Countdowns, type CountdownSpec } from "./countdown";
import type { SessionFacts } from "@/lib/next/session-facts";
import { Card, Code } from "./ui";

const secondsUntil = (date: Date, now: Date): number =>
  Math.max(0, Math.floor((date.getTime() - now.getTime()) / 1000));

/**
 * Both expiries, counting down live, with which one ends the session first and what extends it; for a
 * logged-in user, sudo mode's window beside them, which ends no session, only actions without a password.
 */
export function ExpiryPanel({ facts }: { facts: SessionFacts }): ReactNode {
  const { row, now } = facts;
  if (!row) return null;
  const idleFirst = row.idleExpiresAt.getTime() <= row.absoluteExpiresAt.getTime();
  const idleLabel = formatTime(row.idleExpiresAt);
  const absoluteLabel = formatTime(row.absoluteExpiresAt);
  const touch = formatDuration(facts.touchIntervalSeconds);
  const timers: CountdownSpec[] = [
    {
      id: "idle",
      label: "Idle expiry",
      seconds: secondsUntil(row.idleExpiresAt, now),
      at: row.idleExpiresAt.toISOString(),
      atLabel: idleLabel,
      first: idleFirst,
    },
    {
      id: "absolute",
      label: "Absolute expiry",
      seconds: secondsUntil(row.absoluteExpiresAt, now),
      at: row.absoluteExpiresAt.toISOString(),
      atLabel: absoluteLabel,
      first: !idleFirst,
    },
  ];
  const confirmedAt = row.userId ? row.passwordConfirmedAt : null;
  const freshUntil = row.passwordFreshUntil;
  if (confirmedAt && freshUntil) {
    timers.push({
      id: "password",
      label: "Password confirmed",
      seconds: secondsUntil(freshUntil, now),
      at: freshUntil.toISOString(),
      atLabel: formatTime(freshUntil),
      first: false,
    });
  }
  const window = formatDuration(row.reauthWindowSeconds);
  return (
    <Card
      id="expiry"
      title="When this session ends"
      description="Counted down in your browser from the server's numbers. Whichever expiry comes first ends the session."
    >
      <div className="flex flex-col gap-4">
        <Countdowns key={now.toISOString()} timers={timers} />
        <p className="text-sm">
          {idleFirst ? (
            <>
              The <strong>idle expiry</strong> will end this session first: at {idleLabel}, unless a request extends it.
              At the latest it ends at the absolute limit, {absoluteLabel}.
            </>
          ) : (
            <>
              The <strong>absolute limit</strong> will end this session first, at {absoluteLabel}, whatever you do. The
              idle expiry, {idleLabel}, comes later.
            </>
          )}
        </p>
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <dt className="font-medium">What extends the idle expiry</dt>
            <dd className="text-stone-700 dark:text-stone-300">
              {row.fixedDate ? (
                <>
                  Nothing: it is a fixed date, set with <Code>set_expiry(date)</Code>.
                </>
              ) : (
                <>
                  Any request after {touch} of use. The server then moves it to {formatDuration(row.idleSeconds)} after
                  that request; it rewrites the row at most {oncePer(facts.touchIntervalSeconds)}, so quicker requests
                  leave it where it is.
                </>
              )}
            </dd>
          </div>
          <div className="flex flex-col gap-1">
            <dt className="font-medium">What extends the absolute expiry</dt>
            <dd className="text-stone-700 dark:text-stone-300">
              Nothing. It is fixed at login; logging in again starts a new session with a new limit.
            </dd>
          </div>
          {row.userId ? (
            <div className="flex flex-col gap-1 sm:col-span-2">
              <dt className="font-medium">What the password confirmation is for (sudo mode)</dt>
              <dd className="text-stone-700 dark:text-stone-300">
                {confirmedAt
                  ? `You entered your password at ${formatTime(confirmedAt)}, at login or when asked to confirm it.`
                  : "You have not entered your password in this session."}{" "}
                Changing the password, deleting the account and ending other sessions need it entered in the last{" "}
                {window} (<Code>SESSION_REAUTH_WINDOW</Code>); after that they ask for it again. It ends no session.
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
    </Card>
  );
}
