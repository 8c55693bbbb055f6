import { guardMutation, handleApi, jsonResponse } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";

/** Counts a visit to the home page in the session: it works before login and survives it. */
export const POST = handleApi(async (request: Request) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const { session } = await openMutableSession(request);
  const previous = session.get("visits", 0);
  const visits = (typeof previous === "number" && Number.isSafeInteger(previous) ? previous : 0) + 1;
  session.set("visits", visits);
  await commitSession(session);
  return jsonResponse({ visits });
});
