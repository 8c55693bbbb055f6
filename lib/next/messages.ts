import { PasswordPoolBusyError } from "../auth/password";
import { BUSY_MESSAGE, waitMessage } from "../auth/flows";
import type { EngineDescription } from "../session/engine-catalogue";
import { TooManySessionsError } from "../session/errors";

/** Why the visitor is on the login page, in words. Unknown reasons say nothing. */
const MESSAGES: Record<string, string> = {
  flushed: "You flushed your session: its row is deleted, so you are logged out.",
  idle: "Your session expired after a period of inactivity. Please log in again.",
  absolute: "Your session reached its maximum lifetime. Please log in again.",
  revoked: "Your session was revoked from another device. Please log in again.",
  password_changed: "Your password was changed, so every other session was logged out. Log in with the new password.",
  account_deleted: "This account was deleted, so all of its sessions have ended.",
  logged_out_everywhere: "You logged out everywhere, so this session has ended too.",
  ended_by_admin: "An administrator ended your session. Please log in again.",
  unknown: "Your session is no longer valid. Please log in again.",
};

/** What logging out and flushing did, which depends on what the engine keeps on the server. */
function endedByVisitorMessages(engine: Pick<EngineDescription, "name" | "deletedAtLogout">): Record<string, string> {
  if (engine.deletedAtLogout === null) {
    return {
      logged_out:
        `You have logged out: this browser's cookie is cleared. Under SESSION_ENGINE=${engine.name} the server keeps no row, ` +
        "so a copy of the old cookie would still open the session until it expires.",
      flushed: "You flushed your session: this browser's cookie is cleared, so you are logged out.",
    };
  }
  return {
    logged_out: `You have logged out. The session's ${engine.deletedAtLogout} is deleted, so the old cookie opens nothing.`,
  };
}

/** Why the visitor is on the login page, for the engine this server runs. */
export function rejectionMessage(
  reason: string | null | undefined,
  engine: Pick<EngineDescription, "name" | "deletedAtLogout">,
): string | null {
  if (!reason) return null;
  return endedByVisitorMessages(engine)[reason] ?? MESSAGES[reason] ?? null;
}

/**
 * What a form says when the server refused for load rather than for what was typed: too many new
 * sessions from this address, or too many password checks waiting. Null for any other error.
 */
export function loadRefusalMessage(error: unknown): string | null {
  if (error instanceof TooManySessionsError) {
    return `Too many new sessions have been started from your network. ${waitMessage(error.retryAfterSeconds)}`;
  }
  if (error instanceof PasswordPoolBusyError) return BUSY_MESSAGE;
  return null;
}
