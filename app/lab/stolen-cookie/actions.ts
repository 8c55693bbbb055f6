"use server";

import { cookies, headers } from "next/headers";
import { logOut } from "@/lib/auth/flows";
import { formatTime } from "@/lib/format";
import { commitSession, openMutableSession, openRequestSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { cookieBytes } from "@/lib/session/session-cookie";

export interface LabState {
  ok: boolean;
  engine?: string;
  /** "refused": the copy opens nothing after logout; "accepted": it still logs in. */
  outcome?: "refused" | "accepted";
  message: string;
  /** What happened, step by step, in words. Never the cookie value. */
  steps?: string[];
}

/**
 * The stolen-cookie lab: (1) copies this browser's session cookie on the server, as a thief with
 * the cookie would hold it, (2) logs the session out (flush and commit, as the Log out button does),
 * (3) replays the copy through the same openSession path every request takes, and says whether it
 * still opens a logged-in session. Only a logged-in visitor can run it, on their own session.
 */
export async function replayStolenCookieAction(): Promise<LabState> {
  const services = await getServices();
  const { name: engine, deletedAtLogout } = services.engine.description;
  const { session, user } = await openMutableSession();
  if (!user) return { ok: false, engine, message: "Log in first: the lab copies the cookie of a logged-in session." };

  const copied = (await cookies()).get(services.cookieName)?.value;
  if (!copied) return { ok: false, engine, message: "Your browser sent no session cookie to copy." };

  await logOut(session);
  await commitSession(session);

  const replay = await openRequestSession(services, await headers(), { value: copied, ambiguous: false });
  const meta = replay.session.metadata;
  const steps = [
    `Copied your ${services.cookieName} cookie (${cookieBytes(services.cookieName, copied)} bytes), as someone with access to it would.`,
    "Logged you out: the session was flushed and your browser's cookie cleared.",
    "Replayed the copy through openSession, the path every request takes.",
  ];
  if (replay.rejected === null && replay.session.userId === user.id) {
    // Only an engine that keeps the session in the cookie gets here: the server had nothing to delete.
    return {
      ok: true,
      engine,
      outcome: "accepted",
      steps,
      message:
        `Still works until it expires: the copied cookie opens a session logged in as ${user.email}` +
        (meta ? ` until ${formatTime(meta.expiresAt)}.` : ".") +
        ` With SESSION_ENGINE=${engine} the cookie carries the whole session and the server keeps nothing it could delete.`,
    };
  }
  return {
    ok: true,
    engine,
    outcome: "refused",
    steps,
    // The lab's own logout deleted the session a moment ago: that, not the refusal's reason code
    // (a plain logout leaves none behind), is why the copy opens nothing.
    message: `Refused: the ${deletedAtLogout ?? "record"} is gone. Logging out deleted it, so no session on the server has this cookie's token any more, and the copy opens nothing.`,
  };
}
