import { redirect } from "next/navigation";
import { cache } from "react";
import { isSuperuser } from "../auth/admin-sessions";
import { audit } from "../auth/audit";
import type { PublicUser } from "../auth/users";
import { getServices } from "../services";
import type { Session } from "../session/session";
import { errorResponse } from "./api";
import { commitSession, getAuth, openMutableSession } from "./session";

/**
 * Whether this user is a superuser, read from the database once per render (the user cache could
 * be stale): the header's Admin link and the admin pages ask.
 */
export const isSuperuserNow = cache(async (userId: string): Promise<boolean> => {
  return isSuperuser((await getServices()).db, userId);
});

export type AdminPageAccess = { allowed: true; session: Session; user: PublicUser } | { allowed: false };

/**
 * For admin pages: an anonymous visitor goes to /login and comes back; a user who is not a
 * superuser is refused (and the refusal audited), and the page says so.
 */
export async function checkAdminPage(path: string): Promise<AdminPageAccess> {
  const { session, user } = await getAuth();
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (!(await isSuperuserNow(user.id))) {
    audit("admin.denied", { userId: user.id, tokenHash: session.tokenHash, detail: path });
    return { allowed: false };
  }
  return { allowed: true, session, user };
}

export type AdminRequest =
  { ok: true; session: Session; user: PublicUser } | { ok: false; status: 401 | 403; message: string };

/**
 * For admin actions and route handlers (which pass their Request): the session to commit when
 * done, or why not. A refused request's session is committed here, which clears a rejected cookie.
 */
export async function openAdminRequest(request?: Request): Promise<AdminRequest> {
  const { session, user } = await openMutableSession(request);
  if (!user) {
    await commitSession(session);
    return { ok: false, status: 401, message: "Log in as a superuser to manage sessions." };
  }
  if (!(await isSuperuser((await getServices()).db, user.id))) {
    audit("admin.denied", { userId: user.id, tokenHash: session.tokenHash, detail: request?.url ?? "admin action" });
    await commitSession(session);
    return { ok: false, status: 403, message: "Only a superuser may manage other people's sessions." };
  }
  return { ok: true, session, user };
}

/** A refused admin request as JSON: 401 Unauthorized or 403 Forbidden. */
export function adminRefusalResponse(refusal: Extract<AdminRequest, { ok: false }>): Response {
  return errorResponse(refusal.status, refusal.status === 401 ? "Unauthorized" : "Forbidden", refusal.message);
}
