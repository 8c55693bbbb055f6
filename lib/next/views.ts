import type { PublicUser } from "../auth/users";
import type { JsonValue } from "../session/json";
import type { Session } from "../session/session";

export interface SessionView {
  authenticated: boolean;
  user: { id: string; email: string } | null;
  session: {
    keyPrefix: string;
    data: Record<string, JsonValue>;
    createdAt: string;
    lastSeenAt: string;
    expiresAt: string;
    expireAtBrowserClose: boolean;
  } | null;
}

/** What `GET /api/session` returns, and what the dashboard shows: never the token or its full hash. */
export function viewSession(session: Session, user: PublicUser | null): SessionView {
  const meta = session.metadata;
  return {
    authenticated: user !== null,
    user: user ? { id: user.id, email: user.email } : null,
    session:
      meta && session.keyPrefix
        ? {
            keyPrefix: session.keyPrefix,
            data: session.toJSON(),
            createdAt: meta.createdAt.toISOString(),
            lastSeenAt: meta.lastSeenAt.toISOString(),
            expiresAt: meta.expiresAt.toISOString(),
            expireAtBrowserClose: session.expiresAtBrowserClose,
          }
        : null,
  };
}
