import Database from "better-sqlite3";
import { E2E_DATABASE_URL } from "../env";

/**
 * A read-only window on the e2e database, for asserting that refused input changed nothing.
 * Other workers write to the same file at the same time, so every query here is scoped to
 * rows a fuzz test itself could have touched: a fuzzed email, or one known user's sessions.
 */
let connection: Database.Database | undefined;

function db(): Database.Database {
  if (!connection) {
    connection = new Database(E2E_DATABASE_URL.replace(/^file:/, ""), { readonly: true, fileMustExist: true });
    connection.pragma("busy_timeout = 5000");
  }
  return connection;
}

/** How many User rows have any of these emails (as sent, and as the app would normalise them). */
export function countUsersWithEmail(...emails: string[]): number {
  const candidates = [...new Set(emails.flatMap((email) => [email, email.trim().toLowerCase()]))];
  if (candidates.length === 0) return 0;
  const placeholders = candidates.map(() => "?").join(",");
  const row = db()
    .prepare(`SELECT COUNT(*) AS n FROM "User" WHERE email IN (${placeholders})`)
    .get(...candidates) as { n: number };
  return row.n;
}

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
}

export function findUser(id: string): UserRow | undefined {
  return db().prepare(`SELECT id, email, passwordHash FROM "User" WHERE id = ?`).get(id) as UserRow | undefined;
}

export interface SessionRowData {
  id: string;
  userId: string | null;
  /** The session dictionary, parsed. */
  data: Record<string, unknown>;
}

/** The user's live session rows, oldest first, with their data parsed. */
export function sessionsOfUser(userId: string): SessionRowData[] {
  const rows = db()
    .prepare(`SELECT id, userId, data FROM "Session" WHERE userId = ? ORDER BY createdAt, id`)
    .all(userId) as {
    id: string;
    userId: string | null;
    data: string;
  }[];
  return rows.map((row) => ({ id: row.id, userId: row.userId, data: JSON.parse(row.data) as Record<string, unknown> }));
}

/** The one session a test's user holds; fails loudly if there is none or more than one. */
export function onlySessionOf(userId: string): SessionRowData {
  const rows = sessionsOfUser(userId);
  if (rows.length !== 1) throw new Error(`expected exactly one session row for user ${userId}, found ${rows.length}`);
  return rows[0] as SessionRowData;
}
