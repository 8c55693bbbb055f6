import { audit } from "@/lib/auth/audit";
import { emptyResponse, errorResponse, guardMutation, handleApi } from "@/lib/next/api";
import { hasFreshPassword, reauthenticationRequiredResponse } from "@/lib/next/reauthentication";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { SESSION_ID_SHAPE } from "@/lib/session/token";
import { revokeUserSession } from "@/lib/session/user-sessions";

interface SessionRoute {
  params: Promise<{ id: string }>;
}

/**
 * Revokes one of the user's sessions. Another user's and a missing one both answer 404, so ids cannot be probed.
 * Ending another session needs a fresh password (sudo mode); ending this one is a logout and does not.
 */
export const DELETE = handleApi(async (request: Request, { params }: SessionRoute) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const { session, user } = await openMutableSession(request);
  if (!user) {
    await commitSession(session);
    return errorResponse(401, "Unauthorized", "Log in to revoke a session.");
  }
  const { id } = await params;
  const { engine } = await getServices();
  if (!engine.capabilities.canRevoke && id !== session.id) {
    await commitSession(session);
    return errorResponse(501, "NotRevocable", engine.description.listingNote ?? "This engine cannot revoke sessions.", {
      revocable: false,
    });
  }
  if (id !== session.id && !(await hasFreshPassword(session))) {
    await commitSession(session);
    return reauthenticationRequiredResponse();
  }
  const tokenHash = session.tokenHash;
  const revoked = SESSION_ID_SHAPE.test(id) ? await revokeUserSession(session, id) : false;
  if (revoked) audit("sessions.revoked", { userId: user.id, tokenHash, detail: "one session, through the API" });
  await commitSession(session);
  return revoked ? emptyResponse() : errorResponse(404, "NotFound", "No such session.");
});
