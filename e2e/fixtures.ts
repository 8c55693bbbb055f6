import { randomBytes } from "node:crypto";
import { test as base, expect, type BrowserContext, type Locator } from "@playwright/test";
import { promoteToSuperuser, registerUser, type PublicUser } from "../lib/auth/users";
import { openDatabase, openSqlite, type Database } from "../lib/db/client";
import { DbSessionStore } from "../lib/session/backends/db";
import { sessionCookieName } from "../lib/session/session-cookie";
import { createTokenSealer } from "../lib/session/sealer";
import { Session } from "../lib/session/session";
import { hashToken } from "../lib/session/token";
import { parseSettings } from "../lib/config/env";
import { BASE_URL, E2E_BCRYPT_COST, E2E_DATABASE_URL, E2E_SESSION_SECRET } from "./env";

export interface TestUser extends PublicUser {
  password: string;
}

const settings = parseSettings({ DATABASE_URL: E2E_DATABASE_URL, SESSION_SECRET: E2E_SESSION_SECRET });
export const sealer = createTokenSealer(settings.sessionSecrets);
export const COOKIE_NAME = sessionCookieName(false);

let database: Promise<Database> | undefined;
function db(): Promise<Database> {
  database ??= openDatabase(E2E_DATABASE_URL);
  return database;
}

let sessions: DbSessionStore | undefined;
function sessionStore(): DbSessionStore {
  sessions ??= new DbSessionStore(openSqlite(E2E_DATABASE_URL));
  return sessions;
}

/** A new account with a unique email, created straight in the database. */
export async function createUser(): Promise<TestUser> {
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const email = `user-${randomBytes(6).toString("hex")}@example.test`;
  const result = await registerUser(await db(), { email, password }, E2E_BCRYPT_COST);
  if (!result.ok) throw new Error(`could not create ${email}`);
  return { ...result.user, password };
}

/** Makes an account a superuser, as `npm run createsuperuser` does for an existing email. */
export async function makeSuperuser(user: PublicUser): Promise<void> {
  if (!(await promoteToSuperuser(await db(), user.email))) throw new Error(`no account ${user.email}`);
}

/** An account by email, as the database holds it now (after createsuperuser, say). */
export async function findUserByEmail(email: string): Promise<PublicUser | null> {
  return (await db()).user.findUnique({
    where: { email },
    select: { id: true, email: true, createdAt: true, isSuperuser: true },
  });
}

/**
 * Logs a browser context in without the form: a session row plus the sealed cookie. `at` backdates
 * the login, for a session whose last sliding write lies in the past. Like a real login, it stamps
 * the row's passwordConfirmedAt, so sensitive actions need no confirmation within the window.
 */
export async function logInDirectly(
  context: BrowserContext,
  user: PublicUser,
  options: { persistent?: boolean; at?: Date } = {},
): Promise<void> {
  const session = Session.create({
    store: sessionStore(),
    sealer,
    policy: settings.expiry,
    now: () => options.at ?? new Date(),
    userAgent: "e2e fixture",
    ip: "127.0.0.1",
  });
  await session.login(user.id, { persistent: options.persistent ?? false });
  const instruction = await session.save();
  if (instruction.kind !== "set") throw new Error("logging in should set a cookie");
  await context.addCookies([
    { name: COOKIE_NAME, value: await sealer.seal(instruction.token), url: BASE_URL, httpOnly: true, sameSite: "Lax" },
  ]);
}

/** The stored row a sealed cookie points to, or null: for asserting what the server kept. */
export async function findSessionRow(
  cookieValue: string,
): Promise<{ id: string; userId: string | null; ip: string | null } | null> {
  const token = await sealer.unseal(cookieValue);
  if (!token) return null;
  return (await db()).session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, userId: true, ip: true },
  });
}

/** The value a term labels in a list of facts (the inspector's panels, /backends). */
export function fact(panel: Locator, term: string): Locator {
  return panel
    .getByRole("term")
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator("xpath=following-sibling::dd[1]");
}

/** A documentation-range address (RFC 5737) unique to this test, sent as X-Forwarded-For. */
export function uniqueClientIp(): string {
  const bytes = randomBytes(2);
  return `198.51.${bytes[0]}.${bytes[1]}`;
}

interface Fixtures {
  /** A fresh user for this test. */
  user: TestUser;
  /** The same user, already logged in in this test's browser context. */
  loggedInUser: TestUser;
  /** A superuser of its own, logged in in this test's browser context. */
  loggedInSuperuser: TestUser;
}

export const test = base.extend<Fixtures>({
  context: async ({ context }, use) => {
    await context.setExtraHTTPHeaders({ "X-Forwarded-For": uniqueClientIp() });
    await use(context);
  },
  user: async ({}, use) => {
    await use(await createUser());
  },
  loggedInUser: async ({ context, user }, use) => {
    await logInDirectly(context, user);
    await use(user);
  },
  loggedInSuperuser: async ({ context }, use) => {
    const superuser = await createUser();
    await makeSuperuser(superuser);
    await logInDirectly(context, superuser);
    await use(superuser);
  },
});

export { expect };
