import Bowser from "bowser";
import type { Session } from "./session";
import type { SessionRecord } from "./record";
import { sessionIdLabel } from "./token";

/** One row of "Active sessions": what a user may see of their own sessions. */
export interface SessionSummary {
  /** The public id, never the token or its hash. */
  id: string;
  current: boolean;
  device: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** "Firefox 128 on Linux", read from the user agent with bowser. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(" ");
  if (!browser && !os) return "Unknown device";
  return browser && os ? `${browser} on ${os}` : browser || os;
}

/** What "Active sessions" shows of one session: never its token or token hash. */
export function summarizeSession(
  record: Pick<SessionRecord, "id" | "userAgent" | "ip" | "createdAt" | "lastSeenAt" | "expiresAt">,
  currentId: string | null,
): SessionSummary {
  return {
    id: record.id,
    current: record.id === currentId,
    device: describeDevice(record.userAgent),
    ip: record.ip,
    createdAt: record.createdAt.toISOString(),
    lastSeenAt: record.lastSeenAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
  };
}

/**
 * The logged-in user's live sessions, this one first. An engine that cannot list (the cookie
 * engine) knows only the session this request carries.
 */
export async function listUserSessions(session: Session, now: Date): Promise<SessionSummary[]> {
  if (!session.userId) return [];
  const records = await session.store.listForUser(session.userId, now);
  return records
    .map((record) => summarizeSession(record, session.id))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * Revokes one of the user's sessions by public id. Another user's session and a missing one
 * look the same: false, so the caller answers 404 for both. Revoking the current session logs out.
 */
export async function revokeUserSession(session: Session, id: string): Promise<boolean> {
  if (!session.userId) return false;
  if (id === session.id) {
    await session.flush();
    return true;
  }
  const ended = await session.store.deleteForUser(session.userId, { id, reason: "revoked", ...exceptCurrent(session) });
  if (ended > 0) session.noteRevoked(`session ${sessionIdLabel(id)}`);
  return ended > 0;
}

/** "Log out other sessions": everything but this one. Returns how many ended. */
export async function revokeOtherSessions(session: Session): Promise<number> {
  if (!session.userId) return 0;
  const ended = await session.store.deleteForUser(session.userId, { reason: "revoked", ...exceptCurrent(session) });
  if (ended > 0) session.noteRevoked(`${ended} other session${ended === 1 ? "" : "s"}`);
  return ended;
}

/** "Log out everywhere": every session of the user, this one included. */
export async function revokeAllSessions(session: Session): Promise<number> {
  if (!session.userId) return 0;
  const ended = await session.store.deleteForUser(session.userId, {
    reason: "logged_out_everywhere",
    ...exceptCurrent(session),
  });
  const current = session.isNew ? 0 : 1;
  await session.flush();
  return ended + current;
}

function exceptCurrent(session: Session): { exceptTokenHash?: string } {
  return session.tokenHash ? { exceptTokenHash: session.tokenHash } : {};
}
