import { confirmPassword, rateLimitedMessage, WRONG_PASSWORD_MESSAGE } from "@/lib/auth/flows";
import { confirmPasswordSchema } from "@/lib/auth/schemas";
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
import { passwordFreshUntil } from "@/lib/session/reauthentication";

const LOG_IN_FIRST = "Log in first: only a logged-in session can confirm its password.";

/** Sudo mode: confirms the logged-in user's password and renews the window for sensitive actions. */
export const POST = handleApi(async (request: Request) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const body = await readJsonBody(request, confirmPasswordSchema);
  if (!body.ok) return body.response;
  const { db, settings } = await getServices();
  const { session, user } = await openMutableSession(request);
  if (!user) {
    await commitSession(session); // clears a rejected cookie
    return errorResponse(401, "Unauthorized", LOG_IN_FIRST);
  }
  const result = await confirmPassword(db, session, body.data.password, await requestGuard(request));
  if (!result.ok) {
    if (result.reason === "busy") return busyResponse(result.retryAfterSeconds);
    if (result.reason === "rate_limited")
      return rateLimitedResponse(rateLimitedMessage(result.retryAfterSeconds), result.retryAfterSeconds);
    if (result.reason === "wrong_password") return errorResponse(401, "InvalidCredentials", WRONG_PASSWORD_MESSAGE);
    await commitSession(session);
    return errorResponse(401, "Unauthorized", LOG_IN_FIRST);
  }
  await commitSession(session);
  return jsonResponse({
    confirmedAt: result.confirmedAt.toISOString(),
    freshUntil: passwordFreshUntil(session, settings.reauthWindowSeconds)?.toISOString() ?? null,
  });
});
