import { LOGIN_FAILED_MESSAGE, logIn, rateLimitedMessage } from "@/lib/auth/flows";
import { loginSchema } from "@/lib/auth/schemas";
import {
  busyResponse,
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
  const body = await readJsonBody(request, loginSchema);
  if (!body.ok) return body.response;
  const { db, settings } = await getServices();
  const { session } = await openMutableSession(request);
  const result = await logIn(db, session, body.data, settings.bcryptCost, await requestGuard(request));
  if (!result.ok && "reason" in result) {
    return result.reason === "busy"
      ? busyResponse(result.retryAfterSeconds)
      : rateLimitedResponse(rateLimitedMessage(result.retryAfterSeconds), result.retryAfterSeconds);
  }
  if (!result.ok) return errorResponse(401, "InvalidCredentials", LOGIN_FAILED_MESSAGE);
  await commitSession(session);
  return jsonResponse({ user: { id: result.user.id, email: result.user.email } });
});
