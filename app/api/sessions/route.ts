import { errorResponse, handleApi, jsonResponse } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { listUserSessions } from "@/lib/session/user-sessions";

/** The logged-in user's live sessions, this one first: public ids only, never tokens or hashes. */
export const GET = handleApi(async (request: Request) => {
  const { session, user } = await openMutableSession(request);
  if (!user) {
    await commitSession(session); // clears a rejected cookie
    return errorResponse(401, "Unauthorized", "Log in to list your sessions.");
  }
  const { engine } = await getServices();
  const sessions = await listUserSessions(session, new Date());
  await commitSession(session); // slides the expiry when due
  const note = engine.description.listingNote;
  // An engine that cannot list sees only the session this request carries, and can revoke none.
  return jsonResponse(note ? { sessions, revocable: false, note } : { sessions });
});
