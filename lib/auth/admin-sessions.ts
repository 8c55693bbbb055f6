import { z } from "zod";
import type { Database } from "../db/client";
import type { SessionData } from "../session/json";
import type { SessionRecord } from "../session/record";
import type { SessionStore } from "../session/store";
import { SESSION_ID_SHAPE, sessionIdLabel } from "../session/token";

/**
 * Django's admin over the Session table, for superusers: every live session of every user, a page
 * at a time, a session's decoded data (`get_decoded()`), and ending one. Who may do this is decided
 * by the caller; this module only reads and ends.
 */

export const ADMIN_PAGE_SIZE = 25;
/**
 * A filter that matches more accounts than this asks for more of the email, rather than sending
 * the store a list of thousands of user ids.
 */
export const MAX_FILTERED_ACCOUNTS = 1000;

/** What the admin shows of one session: never its token or token hash. */
export interface AdminSessionRow {
  /** The public id. */
  id: string;
  user: { id: string; email: string } | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  /** The size of the stored data, as UTF-8 JSON. */
  dataBytes: number;
}

/** The listing's query, from a page's search parameters or the API's: `?email=&page=`. */
export const adminListingQuerySchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, "The email filter is at most 254 characters.")
    .transform((email) => email.toLowerCase())
    .optional()
    .transform((email) => email || undefined),
  page: z.coerce
    .number({ error: "The page must be a whole number." })
    .int("The page must be a whole number.")
    .min(1, "Pages start at 1.")
    .max(1_000_000, "There are not that many pages.")
    .default(1),
});
export type AdminListingQuery = z.infer<typeof adminListingQuerySchema>;

export type AdminSessionListing =
  | { ok: true; sessions: AdminSessionRow[]; total: number; page: number; pageCount: number }
  | { ok: false; reason: "filter_too_broad" };

/**
 * Whether the user is a superuser now: read from the database on every call, never from the user
 * cache, so a promotion or a demotion counts from the next request.
 */
export async function isSuperuser(db: Database, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { isSuperuser: true } });
  return user?.isSuperuser === true;
}

/** One page of live sessions, newest first, of everyone or of the accounts whose email contains `email`. */
export async function listSessionsForAdmin(
  db: Database,
  store: SessionStore,
  { email, page }: AdminListingQuery,
  now: Date,
): Promise<AdminSessionListing> {
  let userIds: string[] | undefined;
  if (email) {
    // Emails are stored in lower case (lib/auth/schemas.ts), so `contains` matches on SQLite and PostgreSQL alike.
    const accounts = await db.user.findMany({
      where: { email: { contains: email } },
      select: { id: true },
      take: MAX_FILTERED_ACCOUNTS + 1,
    });
    if (accounts.length > MAX_FILTERED_ACCOUNTS) return { ok: false, reason: "filter_too_broad" };
    userIds = accounts.map((account) => account.id);
  }
  const { records, total } = await store.listLive(now, {
    ...(userIds ? { userIds } : {}),
    offset: (page - 1) * ADMIN_PAGE_SIZE,
    limit: ADMIN_PAGE_SIZE,
  });
  const owners = await ownersOf(db, records);
  return {
    ok: true,
    sessions: records.map((record) => toAdminRow(record, owners)),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE)),
  };
}

/** One session and its decoded data, as Django's `SessionStore(key).get_decoded()` in a shell. */
export interface AdminSessionDetail {
  session: AdminSessionRow;
  data: SessionData;
  /** False for a session past its expiry that `clearExpired` has not removed yet. */
  live: boolean;
}

/** A session by its public id, or null when there is none (a rotation gives a session a new id). */
export async function findSessionForAdmin(
  db: Database,
  store: SessionStore,
  id: string,
  now: Date,
): Promise<AdminSessionDetail | null> {
  const record = await findRecord(store, id);
  if (!record) return null;
  return {
    session: toAdminRow(record, await ownersOf(db, [record])),
    data: record.data,
    live: record.expiresAt > now && record.absoluteExpiresAt > now,
  };
}

export type EndSessionResult = { ok: true; userId: string | null } | { ok: false; reason: "not_found" };

/**
 * Ends a session by its public id, with the reason that its holder's next visit to /login shows:
 * "An administrator ended your session".
 */
export async function endSessionAsAdmin(store: SessionStore, id: string): Promise<EndSessionResult> {
  const record = await findRecord(store, id);
  if (!record) return { ok: false, reason: "not_found" };
  await store.delete(record.tokenHash, "ended_by_admin");
  return { ok: true, userId: record.userId };
}

/** What the audit log says of the session an admin acted on: its short id and whose it is. */
export function describeAdminTarget(id: string, userId: string | null): string {
  return `session ${sessionIdLabel(id)} of ${userId ? `user ${userId}` : "an anonymous visitor"}`;
}

/** A session by public id; an id that cannot be one is refused before the store is asked. */
function findRecord(store: SessionStore, id: string): Promise<SessionRecord | null> {
  return SESSION_ID_SHAPE.test(id) ? store.findById(id) : Promise.resolve(null);
}

/** The accounts behind these sessions, by id, in one query. */
async function ownersOf(db: Database, records: SessionRecord[]): Promise<Map<string, string>> {
  const ids = [...new Set(records.flatMap((record) => (record.userId ? [record.userId] : [])))];
  if (ids.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return new Map(users.map((user) => [user.id, user.email]));
}

function toAdminRow(record: SessionRecord, owners: Map<string, string>): AdminSessionRow {
  const email = record.userId ? owners.get(record.userId) : undefined;
  return {
    id: record.id,
    user: record.userId && email !== undefined ? { id: record.userId, email } : null,
    createdAt: record.createdAt.toISOString(),
    lastSeenAt: record.lastSeenAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    userAgent: record.userAgent,
    ip: record.ip,
    dataBytes: Buffer.byteLength(JSON.stringify(record.data), "utf8"),
  };
}
