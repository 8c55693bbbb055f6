import { errorResponse, handleApi, jsonResponse } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { COOKIE_ENGINE_NOTE, currentSessionSummary } from "@/lib/session/backends/cookie-engine";
import { listUserSessions } from "@/lib/session/user-sessions";

/** The logged-in user's live sessions, this one first: public ids only, never tokens or hashes. */
export const GET = handleApi(async (request: Request) => {
  const { session, user } = await openMutableSession(request);
  if (!user) {
    await commitSession(session); // clears a rejected cookie
    return errorResponse(401, "Unauthorized", "Log in to list your sessions.");
  }
  const { store, engine } = await getServices();
  if (engine.name === "cookie") {
    // No server-side record: only the session this request carries can be shown, and none revoked.
    const current = currentSessionSummary(session);
    await commitSession(session);
    return jsonResponse({ sessions: current ? [current] : [], revocable: false, note: COOKIE_ENGINE_NOTE });
  }
  const sessions = await listUserSessions(store, session, new Date());
  await commitSession(session); // slides the expiry when due
  return jsonResponse({ sessions });
});
