/** Why the visitor is on the login page, in words. Unknown reasons say nothing. */
const MESSAGES: Record<string, string> = {
  logged_out: "You have logged out. The session row is deleted, so the old cookie opens nothing.",
  flushed: "You flushed your session: its row is deleted, so you are logged out.",
  idle: "Your session expired after a period of inactivity. Please log in again.",
  absolute: "Your session reached its maximum lifetime. Please log in again.",
  revoked: "Your session was revoked from another device. Please log in again.",
  password_changed: "Your password was changed, so every other session was logged out. Log in with the new password.",
  account_deleted: "This account was deleted, so all of its sessions have ended.",
  logged_out_everywhere: "You logged out everywhere, so this session has ended too.",
  unknown: "Your session is no longer valid. Please log in again.",
};

export function rejectionMessage(reason: string | null | undefined): string | null {
  return reason ? (MESSAGES[reason] ?? null) : null;
}
