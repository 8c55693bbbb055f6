import { EMAIL_TAKEN_MESSAGE, rateLimitedMessage, registerAndLogIn } from "@/lib/auth/flows";
import { credentialsSchema } from "@/lib/auth/schemas";
import {
  errorResponse,
  guardMutation,
  handleApi,
  jsonResponse,
  rateLimitedResponse,
  readJsonBody,
} from "@/lib/next/api";
import { commitSession, openMutableSession, requestGuard } from "@/lib/next/session";
import { getServices } from "@/lib/services";

export const POST = handleApi(async (request: Request) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const body = await readJsonBody(request, credentialsSchema);
  if (!body.ok) return body.response;
  const { db, settings } = await getServices();
  const { session } = await openMutableSession(request);
  const result = await registerAndLogIn(db, session, body.data, settings.bcryptCost, await requestGuard(request));
  if (!result.ok && result.reason === "rate_limited") {
    return rateLimitedResponse(rateLimitedMessage(result.retryAfterSeconds), result.retryAfterSeconds);
  }
  if (!result.ok)
    return errorResponse(409, "EmailTaken", EMAIL_TAKEN_MESSAGE, { issues: { email: [EMAIL_TAKEN_MESSAGE] } });
  await commitSession(session);
  return jsonResponse({ user: { id: result.user.id, email: result.user.email } }, 201);
});
