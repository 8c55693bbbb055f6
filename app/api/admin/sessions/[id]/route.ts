import { describeAdminTarget, endSessionAsAdmin, findSessionForAdmin } from "@/lib/auth/admin-sessions";
import { audit } from "@/lib/auth/audit";
import { adminRefusalResponse, openAdminRequest } from "@/lib/next/admin";
import { emptyResponse, errorResponse, guardMutation, handleApi, jsonResponse } from "@/lib/next/api";
import { commitSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";

interface AdminSessionRoute {
  params: Promise<{ id: string }>;
}

const NOT_FOUND = "No live session has this id. It may have ended, or moved to a new id at a login.";

/** One session and its decoded data, as Django's `get_decoded()`. Superusers only. */
export const GET = handleApi(async (request: Request, { params }: AdminSessionRoute) => {
  const access = await openAdminRequest(request);
  if (!access.ok) return adminRefusalResponse(access);
  const { session, user } = access;
  const { id } = await params;
  await commitSession(session);
  const { db, engine } = await getServices();
  if (!engine.capabilities.canList) return notListable(engine.description.listingNote);
  const detail = await findSessionForAdmin(db, session.store, id, new Date());
  if (!detail) return errorResponse(404, "NotFound", NOT_FOUND);
  audit("admin.session_viewed", {
    userId: user.id,
    tokenHash: session.tokenHash,
    detail: describeAdminTarget(id, detail.session.user?.id ?? null),
  });
  return jsonResponse(detail);
});

/** Ends any user's session: its holder's next visit to /login says an administrator ended it. */
export const DELETE = handleApi(async (request: Request, { params }: AdminSessionRoute) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const access = await openAdminRequest(request);
  if (!access.ok) return adminRefusalResponse(access);
  const { session, user } = access;
  const { id } = await params;
  const { engine } = await getServices();
  if (!engine.capabilities.canRevoke) {
    await commitSession(session);
    return notListable(engine.description.listingNote);
  }
  const tokenHash = session.tokenHash;
  const ended = await endSessionAsAdmin(session.store, id);
  if (ended.ok)
    audit("admin.session_ended", { userId: user.id, tokenHash, detail: describeAdminTarget(id, ended.userId) });
  // After the ending: an admin who ended their own session gets its cookie cleared here.
  await commitSession(session);
  return ended.ok ? emptyResponse() : errorResponse(404, "NotFound", NOT_FOUND);
});

/** The cookie engine keeps sessions in browsers: nothing to open or end, and the answer says why. */
function notListable(note: string | null): Response {
  return errorResponse(501, "NotListable", note ?? "This engine cannot list or end sessions.", { listable: false });
}
