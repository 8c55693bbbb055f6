import { adminListingQuerySchema, listSessionsForAdmin, MAX_FILTERED_ACCOUNTS } from "@/lib/auth/admin-sessions";
import { audit } from "@/lib/auth/audit";
import { adminRefusalResponse, openAdminRequest } from "@/lib/next/admin";
import { errorResponse, handleApi, jsonResponse } from "@/lib/next/api";
import { commitSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";

/** Every live session of every user, newest first: `?email=` filters by account, `?page=` pages. Superusers only. */
export const GET = handleApi(async (request: Request) => {
  const access = await openAdminRequest(request);
  if (!access.ok) return adminRefusalResponse(access);
  const { session, user } = access;
  const params = new URL(request.url).searchParams;
  const query = adminListingQuerySchema.safeParse({
    email: params.get("email") ?? undefined,
    page: params.get("page") || undefined,
  });
  await commitSession(session); // slides the admin's own expiry when due
  if (!query.success) {
    const issues = query.error.flatten().fieldErrors;
    const message = Object.values(issues).flat()[0] ?? "The query is invalid.";
    return errorResponse(400, "ValidationError", message, { issues });
  }
  const { db, engine } = await getServices();
  if (!engine.capabilities.canList) {
    // Sessions in browsers cannot be listed: an empty listing that says why, not a failure.
    const note = engine.description.listingNote;
    return jsonResponse({ sessions: [], total: 0, page: query.data.page, listable: false, note });
  }
  const listing = await listSessionsForAdmin(db, session.store, query.data, new Date());
  if (!listing.ok) {
    return errorResponse(
      400,
      "FilterTooBroad",
      `More than ${MAX_FILTERED_ACCOUNTS} accounts match that email filter. Type more of the address.`,
    );
  }
  audit("admin.sessions_listed", {
    userId: user.id,
    tokenHash: session.tokenHash,
    ...(query.data.email ? { email: query.data.email } : {}),
    detail: `page ${listing.page} of ${listing.pageCount}, through the API`,
  });
  const { sessions, total, page, pageCount } = listing;
  return jsonResponse({ sessions, total, page, pageCount });
});
