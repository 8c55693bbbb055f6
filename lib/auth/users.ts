import type { Database } from "../db/client";
import { generateUserId } from "../session/token";
import { dummyHash, hashPassword, verifyPassword } from "./password";
import { MAX_PASSWORD_BYTES, utf8Length, type Credentials } from "./schemas";

export interface PublicUser {
  id: string;
  email: string;
  createdAt: Date;
  /**
   * As it was when the user was read, which may be from the user cache: enough to show the Admin
   * link, never to decide access (lib/auth/admin-sessions.ts's isSuperuser reads the database).
   */
  isSuperuser: boolean;
}

const publicFields = { id: true, email: true, createdAt: true, isSuperuser: true } as const;

export type RegisterResult = { ok: true; user: PublicUser } | { ok: false; reason: "email_taken" };

/**
 * Creates an account. Sesame says plainly when an email is taken: a sign-up form that hides it
 * only moves the question to the login form, and the rate limits bound what probing can learn.
 */
export async function registerUser(
  db: Database,
  credentials: Credentials,
  cost: number,
  { isSuperuser = false }: { isSuperuser?: boolean } = {},
): Promise<RegisterResult> {
  if (await db.user.findUnique({ where: { email: credentials.email }, select: { id: true } })) {
    return { ok: false, reason: "email_taken" };
  }
  const passwordHash = await hashPassword(credentials.password, cost);
  try {
    const user = await db.user.create({
      data: { id: generateUserId(), email: credentials.email, passwordHash, isSuperuser },
      select: publicFields,
    });
    return { ok: true, user };
  } catch (error) {
    // Two registrations raced past the check above: the unique index lets exactly one win.
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
}

export type AuthenticateResult = { ok: true; user: PublicUser } | { ok: false };

/** Checks a password. Unknown emails still pay for a bcrypt comparison. */
export async function authenticate(
  db: Database,
  credentials: { email: string; password: string },
  cost: number,
  signal?: AbortSignal,
): Promise<AuthenticateResult> {
  const user = await db.user.findUnique({ where: { email: credentials.email } });
  if (!user) {
    await verifyPassword(credentials.password, await dummyHash(cost), signal);
    return { ok: false };
  }
  if (!(await passwordMatches(credentials.password, user.passwordHash, signal))) return { ok: false };
  return {
    ok: true,
    user: { id: user.id, email: user.email, createdAt: user.createdAt, isSuperuser: user.isSuperuser },
  };
}

/** Checks a logged-in user's own password, for changes that need re-authentication. */
export async function verifyUserPassword(db: Database, userId: string, password: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return user ? passwordMatches(password, user.passwordHash) : false;
}

/**
 * bcrypt reads only the first 72 bytes, so "the right 72 bytes plus anything" would match. No
 * account has a longer password (registration refuses one), so a longer one is wrong; it is still
 * compared, so that it costs exactly what any other wrong password costs.
 */
async function passwordMatches(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
  const matches = await verifyPassword(password, hash, signal);
  return matches && utf8Length(password) <= MAX_PASSWORD_BYTES;
}

export async function setPassword(db: Database, userId: string, password: string, cost: number): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password, cost) } });
}

/**
 * Makes an existing account a superuser, as `createsuperuser` does for an email that is taken; its
 * password stays as it is. Null when no account has this email.
 */
export async function promoteToSuperuser(db: Database, email: string): Promise<PublicUser | null> {
  const { count } = await db.user.updateMany({ where: { email }, data: { isSuperuser: true } });
  return count === 0 ? null : db.user.findUnique({ where: { email }, select: publicFields });
}

export function findUser(db: Database, id: string): Promise<PublicUser | null> {
  return db.user.findUnique({ where: { id }, select: publicFields });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}
