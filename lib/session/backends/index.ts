import path from "node:path";
import { DATABASE_NAMES } from "../../config/database.mjs";
import type { Settings } from "../../config/env";
import type { PostgresPool, Sqlite } from "../../db/client";
import { createTokenSealer, type TokenSealer } from "../sealer";
import { ENGINE_CATALOGUE, type EngineCapabilities, type EngineDescription } from "../engine-catalogue";
import type { Log, SessionStore } from "../store";
import { LruSessionCache, RedisSessionCache } from "./read-through-cache";
import { CachedSessionStore } from "./cached-db";
import { CookieSessionStore, createCookieEngine } from "./cookie";
import { DbSessionStore } from "./db";
import { PostgresSessionStore } from "./db-postgresql";
import { assertSessionFolder, FileSessionStore } from "./file";
import { RedisSessionStore } from "./cache";
import { createRedisConnection, type RedisConnection } from "./redis-connection";

/** What one request works with: the store its session lives in and the sealer of its cookie. */
export interface RequestBinding {
  store: SessionStore;
  sealer: TokenSealer;
}

/**
 * Where the db and cached_db engines keep their Session table: DATABASE_URL's database, reached
 * through a direct connection rather than Prisma (a session read is on every request).
 */
export type SessionDatabase = { kind: "sqlite"; open: () => Sqlite } | { kind: "postgresql"; pool: PostgresPool };

/** SESSION_ENGINE, wired: Django's `SessionStore` class chosen by a setting. */
export interface SessionEngine {
  name: Settings["sessionEngine"];
  /** The database that holds the sessions, as the pages name it, or null when no database does. */
  database: (typeof DATABASE_NAMES)[SessionDatabase["kind"]] | null;
  /** What this engine can do, as configured (db and cached_db are shared across servers only on PostgreSQL). */
  capabilities: EngineCapabilities;
  /** The engine's entry in the catalogue: what /backends and the lab say about it. */
  description: EngineDescription;
  /** The process-wide store, for work outside a request: the hourly cleanup and `npm run sessions:clear`. */
  store: SessionStore;
  /** The store and sealer for one request: shared, except under `cookie`, where each request has its own. */
  forRequest(): RequestBinding;
  /** Where the server keeps sessions, in words ("the Session table", a folder), for messages. */
  storedIn: string;
  /** Where the server keeps the session with this token hash, in words, or null if it keeps nothing. */
  location(tokenHash: string): string | null;
  close(): Promise<void>;
}

type EngineSettings = Pick<
  Settings,
  | "sessionEngine"
  | "sessionSecrets"
  | "sessionCacheSize"
  | "sessionCacheMaxBytes"
  | "redisUrl"
  | "redisKeyPrefix"
  | "sessionFilePath"
>;

/**
 * Checks, before the server takes requests, what the configured engine needs from its settings:
 * under `file`, a session folder private to this user. Throws a ConfigError that names the problem.
 */
export function assertEngineSettings(settings: Pick<Settings, "sessionEngine" | "sessionFilePath">): void {
  if (settings.sessionEngine === "file") assertSessionFolder(settings.sessionFilePath);
}

/**
 * Builds the configured engine. `database` is opened only by the engines that keep sessions in
 * the Session table (db, cached_db); `npm run sessions:clear` builds its store here too, as the
 * server does.
 */
export async function createSessionEngine(
  settings: EngineSettings,
  database: SessionDatabase,
  cookieName: string,
  log: Log = console.warn,
): Promise<SessionEngine> {
  const databaseName = DATABASE_NAMES[database.kind];
  const openTable = (): DbSessionStore | PostgresSessionStore =>
    database.kind === "sqlite"
      ? new DbSessionStore(database.open(), log)
      : new PostgresSessionStore(database.pool, log);
  const sealer = createTokenSealer(settings.sessionSecrets);
  const prefix = settings.redisKeyPrefix;
  const short = (hash: string) => `${hash.slice(0, 12)}…`;
  const tableRow = (hash: string): string => `a row in the Session table (tokenHash ${short(hash)})`;
  const shared = (
    name: Settings["sessionEngine"],
    store: SessionStore,
    storedIn: string,
    location: (hash: string) => string,
    redis?: RedisConnection,
  ): SessionEngine => {
    const inTable = name === "db" || name === "cached_db";
    return {
      name,
      database: inTable ? databaseName : null,
      storedIn,
      description: ENGINE_CATALOGUE[name],
      capabilities: {
        ...ENGINE_CATALOGUE[name].capabilities,
        // The Session table is shared by every server only on a database server.
        ...(inTable ? { sharedAcrossServers: database.kind === "postgresql" } : {}),
      },
      store,
      forRequest: () => ({ store, sealer }),
      location,
      close: async () => void (await redis?.close()),
    };
  };

  switch (settings.sessionEngine) {
    case "db": {
      const store = openTable();
      // Under PostgreSQL, checking a cached copy's version is a network round trip, as dear as the
      // read it would save, so only SQLite, where the check costs microseconds, keeps a cache.
      const cached =
        settings.sessionCacheSize > 0 && database.kind === "sqlite"
          ? new CachedSessionStore(
              store,
              new LruSessionCache({ maxEntries: settings.sessionCacheSize, maxBytes: settings.sessionCacheMaxBytes }),
            )
          : store;
      return shared("db", cached, `the Session table (${databaseName})`, tableRow);
    }
    case "cached_db": {
      const redis = settings.redisUrl ? createRedisConnection(settings.redisUrl, log) : undefined;
      // Never waits for Redis: until it answers, every read falls through to the database.
      redis
        ?.connect()
        .catch((error: unknown) => log(`[sesame] Redis: ${error instanceof Error ? error.message : String(error)}`));
      // Without Redis the copy is in this process's memory, checked against the row's version on
      // every hit: worth it on SQLite (microseconds), not on PostgreSQL, where the check is a round
      // trip as dear as the read. There cached_db without Redis reads the table, as db does.
      const cache = redis
        ? new RedisSessionCache(redis, prefix, log)
        : database.kind === "sqlite"
          ? new LruSessionCache({
              maxEntries: Math.max(settings.sessionCacheSize, 1),
              maxBytes: settings.sessionCacheMaxBytes,
            })
          : null;
      const store = cache ? new CachedSessionStore(openTable(), cache, { log }) : openTable();
      const copy = redis
        ? ` and a copy in the Redis key ${prefix}cache:`
        : cache
          ? " and a copy in this process's memory under "
          : "";
      return shared(
        "cached_db",
        store,
        `the Session table (${databaseName})`,
        (hash) => (copy ? `a row in the Session table${copy}${short(hash)}` : tableRow(hash)),
        redis,
      );
    }
    case "cache": {
      const redis = createRedisConnection(settings.redisUrl as string, log);
      // Waits a little for Redis, never forever: while it is away, requests fail fast and it keeps reconnecting.
      const connecting = redis
        .connect()
        .catch((error: unknown) => log(`[sesame] Redis: ${error instanceof Error ? error.message : String(error)}`));
      await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      const store = new RedisSessionStore(redis, prefix, log);
      return shared("cache", store, "Redis", (hash) => `the Redis key ${prefix}session:${short(hash)}`, redis);
    }
    case "file": {
      const store = new FileSessionStore(settings.sessionFilePath, log);
      return shared(
        "file",
        store,
        settings.sessionFilePath,
        (hash) => `the file ${path.join(settings.sessionFilePath, short(hash))}.json`,
      );
    }
    case "cookie": {
      const engine = createCookieEngine(settings.sessionSecrets, cookieName, log);
      return {
        name: "cookie",
        database: null,
        storedIn: "the browsers' cookies",
        description: ENGINE_CATALOGUE.cookie,
        capabilities: ENGINE_CATALOGUE.cookie.capabilities,
        store: new CookieSessionStore(),
        forRequest: () => engine.forRequest(),
        location: () => null,
        close: async () => undefined,
      };
    }
  }
}
