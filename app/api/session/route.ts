import { handleApi, jsonResponse } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { viewSession } from "@/lib/next/views";

/** The current session: who is logged in and everything the session holds. */
export const GET = handleApi(async (request: Request) => {
  const { session, user } = await openMutableSession(request);
  const view = viewSession(session, user);
  await commitSession(session); // slides the expiry when due, or clears a rejected cookie
  return jsonResponse(view);
});
