import type { Metadata } from "next";
import type { ReactNode } from "react";
import { countKeys, sessionFacts } from "@/lib/next/session-facts";
import { TOKEN_BYTES } from "@/lib/session/token";
import { Code } from "@/components/ui";
import { WalkthroughStep, WalkthroughSteps, type StepStatus } from "@/components/walkthrough";
import { formatDuration, formatTime, oncePer } from "@/lib/format";
import { getAuth, getSession } from "@/lib/next/session";

export const metadata: Metadata = { title: "How it works" };

function Time({ date }: { date: Date }): ReactNode {
  return <time dateTime={date.toISOString()}>{formatTime(date)}</time>;
}

/** The life of a session in five steps, each with the visitor's own values. Reads only. */
export default async function HowItWorksPage(): Promise<ReactNode> {
  const [{ session, user }, { rejected }] = await Promise.all([getAuth(), getSession()]);
  const facts = await sessionFacts(session);
  const { cookie, row } = facts;
  const touch = formatDuration(facts.touchIntervalSeconds);
  const loginEvent = [...session.events].reverse().find((event) => event.type === "logged_in");
  const visits = session.get("visits");

  // Each step is done once the visitor has been through it; the first one that is not is "you are here".
  const done = [cookie.present && row !== null, row !== null, user !== null, row !== null && user !== null, false];
  const current = done.indexOf(false);
  const status = (index: number): StepStatus => (done[index] ? "done" : index === current ? "current" : "ahead");

  const prefix = row ? <Code>{row.keyPrefix}…</Code> : null;

  return (
    <div className="flex flex-col gap-8">
      <header className="flex max-w-3xl flex-col gap-2">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">How a session works</h1>
        <p className="text-lg text-stone-700 dark:text-stone-300">
          The life of a session in five steps, from your first visit to logging out. Each step shows your own session
          where it can, the Sesame and Django lines for it, and a link to where you can try it.
        </p>
        <p className="text-sm text-stone-600 dark:text-stone-400">
          {user ? (
            <>
              You are logged in as{" "}
              <strong className="break-all text-stone-900 dark:text-stone-100">{user.email}</strong>.
            </>
          ) : (
            "You are not logged in."
          )}{" "}
          This page only reads your session: opening it changes nothing.
        </p>
      </header>

      <WalkthroughSteps>
        <WalkthroughStep
          number={1}
          title="First visit: no cookie yet"
          status={status(0)}
          sesame="session.isNew // true: nothing stored, no cookie"
          django="request.session.session_key  # None"
          tryIt={{ href: "/", label: "open the home page in a private window" }}
          yours={
            rejected ? (
              <>
                Your browser sent a session cookie the server could not match to a live row, so it was ignored, exactly
                as if you had none. The server never adopts a cookie it did not issue for a live session.
              </>
            ) : cookie.present ? (
              <>
                You are past this step: your browser sent a <Code>{cookie.name}</Code> cookie with this request.
              </>
            ) : (
              <>You have no cookie yet: to the server you are a first-time visitor, and it keeps nothing about you.</>
            )
          }
        >
          Your browser asks for a page and sends no session cookie. The server gives the request an empty session in
          memory. It stores nothing and sets no cookie until something is put into the session, as Django does.
        </WalkthroughStep>

        <WalkthroughStep
          number={2}
          title="Storing something creates the row and sets the cookie"
          status={status(1)}
          sesame='session.set("visits", 1)'
          django='request.session["visits"] = 1'
          tryIt={{ href: "/", label: "count a visit on the home page, which stores visits in your session" }}
          yours={
            row && cookie.present ? (
              <>
                Your cookie is {cookie.bytes} bytes, key prefix {prefix}. Your row was created{" "}
                <Time date={row.createdAt} /> and holds {countKeys(row.keyCount)} ({row.dataBytes} bytes)
                {typeof visits === "number" ? (
                  <>
                    , among them <Code>visits</Code> = {visits}
                  </>
                ) : null}
                .
              </>
            ) : (
              <>Nothing is stored for you yet, so there is no row and no cookie.</>
            )
          }
        >
          The first time a value is stored, the server makes a token of {TOKEN_BYTES} random bytes, saves a row under
          the token&apos;s SHA-256 and sends your browser the token sealed in a cookie. The cookie carries no data and
          no user id; the row holds the data.
        </WalkthroughStep>

        <WalkthroughStep
          number={3}
          title="Logging in rotates the key"
          status={status(2)}
          sesame="await session.login(user.id) // cycleKey() inside"
          django="login(request, user)  # calls cycle_key()"
          tryIt={
            user
              ? { href: "/dashboard#playground", label: "rotate the key again with Cycle key on the dashboard" }
              : { href: "/login?next=/how-it-works", label: "log in, then come back here" }
          }
          yours={
            user ? (
              <>
                It happened: you are logged in as <strong className="break-all">{user.email}</strong>. The key was
                rotated{" "}
                {loginEvent ? (
                  <>
                    when you logged in, at <Time date={new Date(loginEvent.at)} />
                  </>
                ) : (
                  "when you logged in"
                )}
                {prefix ? <>, and its prefix is now {prefix}</> : null}.
              </>
            ) : row ? (
              <>
                Your key prefix is {prefix} now. Log in and it changes, while your {countKeys(row.keyCount)} come along.
              </>
            ) : (
              <>You are not logged in. When you log in, the server gives your session a new key.</>
            )
          }
        >
          At login the server moves your data to a new row under a new token and deletes the old row. Anyone who saw the
          token before you logged in (session fixation) holds nothing; your data comes along.
        </WalkthroughStep>

        <WalkthroughStep
          number={4}
          title="Requests slide the expiry"
          status={status(3)}
          sesame="await session.save() // slides the expiry when due"
          django="SESSION_SAVE_EVERY_REQUEST = True  # settings.py"
          tryIt={
            user
              ? { href: "/dashboard#expiry", label: "watch both expiries count down on the dashboard" }
              : { href: "/how-it-works", label: "reload this page in a minute and compare the times" }
          }
          yours={
            row ? (
              <>
                Last seen <Time date={row.lastSeenAt} />. Your session expires <Time date={row.expiresAt} />
                {row.fixedDate ? (
                  ", a fixed date that requests do not move"
                ) : (
                  <> ({formatDuration(row.idleSeconds)} after the last write)</>
                )}
                , and <Time date={row.absoluteExpiresAt} /> at the latest.
              </>
            ) : (
              <>With no row there is nothing to slide yet.</>
            )
          }
        >
          Any request after {touch} of use moves the idle expiry forward; the server rewrites the row at most{" "}
          {oncePer(facts.touchIntervalSeconds)}, so a busy page does not write on every request. The absolute limit set
          at login never moves.
        </WalkthroughStep>

        <WalkthroughStep
          number={5}
          title="Logging out deletes the row"
          status={status(4)}
          sesame="await session.flush()"
          django="logout(request)  # calls session.flush()"
          tryIt={
            user
              ? { href: "/sessions", label: "log out with the header button, or everywhere from Active sessions" }
              : { href: "/register", label: "create an account, then log out" }
          }
          yours={
            user && row ? (
              <>Log out and row {prefix} is deleted at once. A copy of your current cookie would then open nothing.</>
            ) : row ? (
              <>
                You are not logged in, so there is nothing to log out of. Your anonymous row {prefix} ends on its own at{" "}
                <Time date={row.expiresAt} /> unless you come back.
              </>
            ) : (
              <>You are not logged in, so there is nothing to log out of.</>
            )
          }
        >
          Logout is a POST. The server deletes the row, clears the cookie with <Code>Max-Age=0</Code> and tells the
          browser to drop the site&apos;s stored data. A copy of the old cookie now points at nothing.
        </WalkthroughStep>
      </WalkthroughSteps>
    </div>
  );
}
