import { LRUCache } from "lru-cache";
import { configurePasswordPool } from "./auth/password";
import { AuthRateLimiter } from "./auth/rate-limit";
import { findUser, type PublicUser } from "./auth/users";
import { getSettings, type Settings } from "./config/env";
import { startCheckpointer } from "./db/checkpointer";
import { openDatabase, openPostgresPool, openSqlite, type Database } from "./db/client";
import { createSessionEngine, type SessionDatabase, type SessionEngine } from "./session/backends";
import { sessionCookieName } from "./session/session-cookie";
import type { ExpiryPolicy } from "./session/expiry";

/** Everything the app wires together once per process: the composition root. */
export interface Services {
  settings: Settings;
  db: Database;
  /** SESSION_ENGINE, wired: each request opens its session with `engine.forRequest()`. */
  engine: SessionEngine;
  policy: ExpiryPolicy;
  cookieName: string;
  limiter: AuthRateLimiter;
  /**
   * The user behind a session. Cached when the engine can revoke: a user is then looked up only
   * through a live session, a deleted account's sessions are gone on every server, and an email
   * never changes. An engine that cannot revoke keeps sessions in browsers, where a deleted user's
   * cookie lives on: then every lookup asks the database, so every server agrees the account is gone.
   */
  findUser: (id: string) => Promise<PublicUser | null>;
  forgetUser: (id: string) => void;
}

async function createServices(): Promise<Services> {
  const settings = getSettings();
  const { database: target } = settings;
  // Checkpoints run in a worker thread, never inside a request (lib/db/checkpointer.ts).
  const autoCheckpoint = false;
  const db = await openDatabase(target.url, { autoCheckpoint });
  const cookieName = sessionCookieName(settings.secureCookies);
  let limiter: AuthRateLimiter;
  let sessionDatabase: SessionDatabase;
  if (target.kind === "postgresql") {
    // One pool for the session path and the limits; Prisma keeps its own for everything else.
    const pool = openPostgresPool(target.url, { max: settings.databasePoolSize });
    limiter = new AuthRateLimiter(pool, settings.rateLimits);
    sessionDatabase = { kind: "postgresql", pool };
  } else {
    // rate-limiter-flexible speaks better-sqlite3 directly and expects SQLite to wait for locks.
    const limits = openSqlite(target.url, { busyTimeoutMs: 5000, cacheMiB: 2, autoCheckpoint });
    limiter = new AuthRateLimiter(limits, settings.rateLimits);
    sessionDatabase = { kind: "sqlite", open: () => openSqlite(target.url, { autoCheckpoint }) };
    startCheckpointer(target.file);
  }
  const engine = await createSessionEngine(settings, sessionDatabase, cookieName);
  configurePasswordPool({ workers: settings.bcryptWorkers, queueLimit: settings.bcryptQueueLimit });
  return {
    settings,
    db,
    engine,
    policy: settings.expiry,
    cookieName,
    limiter,
    ...(engine.capabilities.canRevoke
      ? cachedUserLookup(db)
      : { findUser: (id) => findUser(db, id), forgetUser: () => undefined }),
  };
}

/** The user cache holds at most this many bytes (of ids and emails), whatever the number of users. */
const USER_CACHE_BYTES = 4 * 1024 * 1024;

function cachedUserLookup(db: Database): Pick<Services, "findUser" | "forgetUser"> {
  const users = new LRUCache<string, PublicUser>({
    max: 10_000,
    maxSize: USER_CACHE_BYTES,
    // UTF-16 in memory, plus the object and its Date.
    sizeCalculation: (user) => 2 * (user.id.length + user.email.length) + 128,
  });
  return {
    async findUser(id) {
      const cached = users.get(id);
      if (cached) return cached;
      const user = await findUser(db, id);
      if (user) users.set(id, user);
      return user;
    },
    forgetUser: (id) => void users.delete(id),
  };
}

// Kept on globalThis so dev-mode module reloads reuse one database connection.
const holder = globalThis as typeof globalThis & { __sesameServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  holder.__sesameServices ??= createServices().catch((error: unknown) => {
    holder.__sesameServices = undefined;
    throw error;
  });
  return holder.__sesameServices;
}
