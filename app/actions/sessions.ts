"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { audit } from "@/lib/auth/audit";
import { requireFreshPasswordOrRedirect } from "@/lib/next/reauthentication";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { SESSION_ID_SHAPE } from "@/lib/session/token";
import { revokeAllSessions, revokeOtherSessions, revokeUserSession } from "@/lib/session/user-sessions";

export interface SessionsActionState {
  ok: boolean;
  /** What happened, in words; announced to screen readers. */
  message: string;
}

const SESSION_ENDED = "Your session has ended. Log in again to manage your sessions.";
/** The page these forms are on, where /confirm-password sends the visitor back in sudo mode. */
const SESSIONS_PAGE = "/sessions";

const sessionIdSchema = z.string().trim().regex(SESSION_ID_SHAPE);

export async function revokeSessionAction(
  _previous: SessionsActionState | undefined,
  formData: FormData,
): Promise<SessionsActionState> {
  const { session, user } = await openMutableSession();
  if (!user) return { ok: false, message: SESSION_ENDED };
  const parsed = sessionIdSchema.safeParse(formData.get("id"));
  const wasCurrent = parsed.success && parsed.data === session.id;
  // Revoking this very session is a logout, which never needs the password; ending another does.
  if (!wasCurrent) await requireFreshPasswordOrRedirect(session, SESSIONS_PAGE);
  const tokenHash = session.tokenHash;
  const revoked = parsed.success ? await revokeUserSession(session, parsed.data) : false;
  if (revoked)
    audit("sessions.revoked", { userId: user.id, tokenHash, detail: wasCurrent ? "this session" : "one session" });
  await commitSession(session);
  // Revoking this very session logs out, like the Log out button (the page offers no such button).
  if (revoked && wasCurrent) redirect("/login?reason=logged_out");
  revalidatePath("/sessions");
  return revoked
    ? { ok: true, message: "Session revoked. That device is logged out." }
    : { ok: false, message: "That session had already ended." };
}

export async function revokeOtherSessionsAction(): Promise<SessionsActionState> {
  const { session, user } = await openMutableSession();
  if (!user) return { ok: false, message: SESSION_ENDED };
  await requireFreshPasswordOrRedirect(session, SESSIONS_PAGE);
  const ended = await revokeOtherSessions(session);
  audit("sessions.revoked", { userId: user.id, tokenHash: session.tokenHash, detail: `${ended} other sessions` });
  await commitSession(session);
  revalidatePath("/sessions");
  return ended === 0
    ? { ok: true, message: "There were no other sessions to log out." }
    : { ok: true, message: `Logged out ${ended} other session${ended === 1 ? "" : "s"}. This device stays logged in.` };
}

export async function revokeAllSessionsAction(): Promise<SessionsActionState> {
  const { session, user } = await openMutableSession();
  if (!user) return { ok: false, message: SESSION_ENDED };
  await requireFreshPasswordOrRedirect(session, SESSIONS_PAGE);
  const tokenHash = session.tokenHash;
  const ended = await revokeAllSessions(session);
  audit("sessions.revoked", { userId: user.id, tokenHash, detail: `all ${ended} sessions` });
  await commitSession(session);
  redirect("/login?reason=logged_out_everywhere");
}
