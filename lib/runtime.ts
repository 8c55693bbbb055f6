import BetterSqlite3 from "better-sqlite3";
import { LRUCache } from "lru-cache";
import { AuthRateLimiter } from "./auth/rate-limit";
import { findUser, type PublicUser } from "./auth/users";
import { getSettings, type Settings } from "./config/env";
import { openDatabase, sqlitePath, type Database } from "./db/client";
import { createSessionEngine, type RequestBinding, type SessionEngine } from "./session/backends";
import { sessionCookieName, type TokenSealer } from "./session/cookie";
import type { ExpiryPolicy } from "./session/expiry";
import type { SessionStore } from "./session/store";

/** Everything the app wires together once per process: the composition root. */
export interface Runtime {
  settings: Settings;
  db: Database;
  /** SESSION_ENGINE, wired. Requests take their store and sealer from `engine.forRequest()`. */
  engine: SessionEngine;
  /** The process-wide store: listing and revoking a user's sessions, housekeeping. */
  store: SessionStore;
  /** Seals a bare token. Under SESSION_ENGINE=cookie only a request's own sealer can seal its session. */
  sealer: TokenSealer;
  /** The store and sealer for one request. */
  forRequest: () => RequestBinding;
  policy: ExpiryPolicy;
  cookieName: string;
  limiter: AuthRateLimiter;
  /** The user behind a session, cached: an email never changes, and a deleted user's sessions are gone too. */
  findUser: (id: string) => Promise<PublicUser | null>;
}

async function createRuntime(): Promise<Runtime> {
  const settings = getSettings();
  const db = await openDatabase(settings.databaseUrl);
  // rate-limiter-flexible speaks better-sqlite3 directly; a second connection to the same file.
  const limits = new BetterSqlite3(sqlitePath(settings.databaseUrl));
  limits.pragma("journal_mode = WAL");
  limits.pragma("busy_timeout = 5000");
  const cookieName = sessionCookieName(settings.secureCookies);
  const engine = await createSessionEngine(settings, db, cookieName);
  return {
    settings,
    db,
    engine,
    store: engine.store,
    sealer: engine.forRequest().sealer,
    forRequest: () => engine.forRequest(),
    policy: settings.expiry,
    cookieName,
    limiter: new AuthRateLimiter(limits, settings.rateLimits),
    findUser: cachedUserLookup(db),
  };
}

function cachedUserLookup(db: Database): (id: string) => Promise<PublicUser | null> {
  const users = new LRUCache<string, PublicUser>({ max: 10_000 });
  return async (id) => {
    const cached = users.get(id);
    if (cached) return cached;
    const user = await findUser(db, id);
    if (user) users.set(id, user);
    return user;
  };
}

// Kept on globalThis so dev-mode module reloads reuse one database connection.
const holder = globalThis as typeof globalThis & { __sesameRuntime?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  holder.__sesameRuntime ??= createRuntime().catch((error: unknown) => {
    holder.__sesameRuntime = undefined;
    throw error;
  });
  return holder.__sesameRuntime;
}
