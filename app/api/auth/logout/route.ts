import { logOut } from "@/lib/auth/flows";
import { emptyResponse, guardMutation, handleApi } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";

export const POST = handleApi(async (request: Request) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const { session } = await openMutableSession(request);
  await logOut(session);
  await commitSession(session);
  // server.mjs adds Clear-Site-Data to every response that clears the session cookie.
  return emptyResponse(204);
});
