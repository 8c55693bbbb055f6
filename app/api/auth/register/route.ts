import { EMAIL_TAKEN_MESSAGE, registerAndLogIn } from "@/lib/auth/flows";
import { credentialsSchema } from "@/lib/auth/schemas";
import { errorResponse, guardMutation, handleApi, jsonResponse, readJsonBody } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { getRuntime } from "@/lib/runtime";

export const POST = handleApi(async (request: Request) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const body = await readJsonBody(request, credentialsSchema);
  if (!body.ok) return body.response;
  const { db, settings } = await getRuntime();
  const { session } = await openMutableSession();
  const result = await registerAndLogIn(db, session, body.data, settings.bcryptCost);
  if (!result.ok) return errorResponse(409, "EmailTaken", EMAIL_TAKEN_MESSAGE, { issues: { email: [EMAIL_TAKEN_MESSAGE] } });
  await commitSession(session);
  return jsonResponse({ user: { id: result.user.id, email: result.user.email } }, 201);
});
