import { redirect } from "next/navigation";
import { isSuperuser } from "../auth/admin-sessions";
import { audit } from "../auth/audit";
import type { PublicUser } from "../auth/users";
import { getServices } from "../services";
import type { Session } from "../session/session";
import { errorResponse } from "./api";
import { hasFreshPassword, reauthenticationRequiredResponse, requireFreshPasswordOrRedirect } from "./reauthentication";
import { commitSession, getAuth, openMutableSession } from "./session";

/**
 * Whether this user is a superuser now, read from the database: the user cache's copy could be stale.
 * When it is, the cached user is dropped, so the header's Admin link catches up on the next page.
 */
async function isSuperuserNow(user: PublicUser): Promise<boolean> {
  const { db, forgetUser } = await getServices();
  const superuser = await isSuperuser(db, user.id);
  if (superuser !== user.isSuperuser) forgetUser(user.id);
  return superuser;
}

export type AdminPageAccess = { allowed: true; session: Session; user: PublicUser } | { allowed: false };

/**
 * For admin pages: an anonymous visitor goes to /login and comes back; a user who is not a
 * superuser is refused (and the refusal audited), and the page says so; a superuser whose password
 * was entered too long ago confirms it first (sudo mode), and comes back.
 */
export async function checkAdminPage(path: string): Promise<AdminPageAccess> {
  const { session, user } = await getAuth();
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (!(await isSuperuserNow(user))) {
    audit("admin.denied", { userId: user.id, tokenHash: session.tokenHash, detail: path });
    return { allowed: false };
  }
  await requireFreshPasswordOrRedirect(session, path);
  return { allowed: true, session, user };
}

export type AdminRequest =
  | { ok: true; session: Session; user: PublicUser }
  /** `reauthenticate`: a superuser whose password was entered too long ago (sudo mode). */
  | { ok: false; status: 401 | 403; message: string; reauthenticate?: true };

/**
 * For admin actions and route handlers (which pass their Request): the session to commit when
 * done, or why not: no login, not a superuser, or a password entered too long ago (sudo mode). A
 * refused request's session is committed here, which clears a rejected cookie.
 */
export async function openAdminRequest(request?: Request): Promise<AdminRequest> {
  const { session, user } = await openMutableSession(request);
  if (!user) {
    await commitSession(session);
    return { ok: false, status: 401, message: "Log in as a superuser to manage sessions." };
  }
  if (!(await isSuperuserNow(user))) {
    audit("admin.denied", { userId: user.id, tokenHash: session.tokenHash, detail: request?.url ?? "admin action" });
    await commitSession(session);
    return { ok: false, status: 403, message: "Only a superuser may manage other people's sessions." };
  }
  if (!(await hasFreshPassword(session))) {
    await commitSession(session);
    return { ok: false, status: 403, message: "Confirm your password first.", reauthenticate: true };
  }
  return { ok: true, session, user };
}

/** A refused admin request as JSON: 401 Unauthorized, 403 Forbidden, or 403 ReauthenticationRequired. */
export function adminRefusalResponse(refusal: Extract<AdminRequest, { ok: false }>): Response {
  if (refusal.reauthenticate) return reauthenticationRequiredResponse();
  return errorResponse(refusal.status, refusal.status === 401 ? "Unauthorized" : "Forbidden", refusal.message);
}
