import { MAX_DATA_BYTES } from "./json";
import { MAX_COOKIE_BYTES } from "./session-cookie";

/** Django's SESSION_ENGINE: where sessions live. README "Choosing a session backend" compares them. */
export const SESSION_ENGINES = ["db", "cached_db", "cache", "file", "cookie"] as const;
export type SessionEngineName = (typeof SESSION_ENGINES)[number];

/**
 * What a SESSION_ENGINE can do. The app asks these questions and never compares an engine's name,
 * so a new engine changes this catalogue and nothing in app/.
 */
export interface EngineCapabilities {
  /** The server knows every session of a user, so "Active sessions" can list them all. */
  canList: boolean;
  /** Ending a session on the server ends every copy of its cookie: logout, revoke, password change. */
  canRevoke: boolean;
  /** The whole session travels in the cookie: the server keeps nothing, and the cookie grows with the data. */
  keepsSessionInCookie: boolean;
  /** Sessions outlive a restart of the app server. */
  survivesRestart: boolean;
  /** App servers on several machines see the same sessions. cached_db: only with REDIS_URL. */
  sharedAcrossServers: boolean;
  /**
   * Parallel requests that change different keys of one session all keep their change: each save merges
   * only its own changes into what is stored. False when every response carries the whole session.
   */
  mergesParallelWrites: boolean;
  /** The most one session may hold, in bytes, and what that limit counts. */
  sizeLimit: { bytes: number; counts: "data" | "cookie" };
}

/** One engine, described once: the /backends table, the lab, the messages and the API all read this. */
export interface EngineDescription {
  name: SessionEngineName;
  /** The Django backend it mirrors. */
  django: string;
  capabilities: EngineCapabilities;
  /** What REDIS_URL means to it: the only place it keeps sessions, an optional shared cache, or nothing. */
  redis: "required" | "optional" | "unused";
  /** Where a session lives, in a sentence. */
  where: string;
  survivesRestart: string;
  revocation: string;
  shared: string;
  /** How parallel writes to one session end, and why: the race lab (/lab/race) shows it. */
  parallelWrites: string;
  /** What logging out deletes on the server ("row", "Redis key"), or null when the server holds nothing. */
  deletedAtLogout: string | null;
  /** Why "Active sessions" shows only the current session and revokes none; null when the engine can list and revoke. */
  listingNote: string | null;
  /** How expired sessions vanish without `clearExpired` (a Redis TTL, say), or null when they must be cleared. */
  selfExpiry: string | null;
}

const SERVER_SIDE = {
  canList: true,
  canRevoke: true,
  keepsSessionInCookie: false,
  mergesParallelWrites: true,
} as const;
const DATA_LIMIT = { bytes: MAX_DATA_BYTES, counts: "data" } as const;

export const ENGINE_CATALOGUE: Readonly<Record<SessionEngineName, EngineDescription>> = {
  db: {
    name: "db",
    redis: "unused",
    django: "django.contrib.sessions.backends.db",
    capabilities: { ...SERVER_SIDE, survivesRestart: true, sharedAcrossServers: false, sizeLimit: DATA_LIMIT },
    where: "A row in the Session table of the database: SQLite (the default) or PostgreSQL",
    survivesRestart: "Yes",
    revocation: "Yes: deleting the row ends it at once",
    shared: "On PostgreSQL, every server; on SQLite, servers on one machine (one file)",
    parallelWrites:
      "Each save is one transaction that reads the stored session, merges in only its own changes and writes it back " +
      "(an IMMEDIATE transaction on SQLite, SELECT … FOR UPDATE on PostgreSQL), so parallel saves wait their turn and all survive.",
    deletedAtLogout: "row",
    listingNote: null,
    selfExpiry: null,
  },
  cached_db: {
    name: "cached_db",
    redis: "optional",
    django: "django.contrib.sessions.backends.cached_db",
    capabilities: { ...SERVER_SIDE, survivesRestart: true, sharedAcrossServers: false, sizeLimit: DATA_LIMIT },
    where:
      "The Session table, plus a copy in a cache: Redis with REDIS_URL, else this server's memory, checked against the row",
    survivesRestart: "Yes: the database has everything",
    revocation: "Yes: the row and the cached copy are deleted",
    shared: "On PostgreSQL, every server; on SQLite, servers on one machine. With Redis the cache is shared too",
    parallelWrites:
      "Each save goes to the database first, in one transaction that merges only its own changes (an IMMEDIATE " +
      "transaction on SQLite, SELECT … FOR UPDATE on PostgreSQL), then refreshes the cache, so parallel saves all survive.",
    deletedAtLogout: "row",
    listingNote: null,
    selfExpiry: null,
  },
  cache: {
    name: "cache",
    redis: "required",
    django: "django.contrib.sessions.backends.cache",
    capabilities: { ...SERVER_SIDE, survivesRestart: true, sharedAcrossServers: true, sizeLimit: DATA_LIMIT },
    where: "Redis only, one key per session with the session's expiry as its TTL",
    survivesRestart: "The app's, yes; Redis's only if Redis saves to disk",
    revocation: "Yes: the key is deleted",
    shared: "Yes: every server uses the same Redis",
    parallelWrites:
      "Each save merges its own changes into what Redis holds and writes only if nothing changed since it read " +
      "(compare-and-set), trying again when something did, so parallel saves all survive.",
    deletedAtLogout: "Redis key",
    listingNote: null,
    selfExpiry: "Redis expires each session by itself: its key's TTL is the session's expiry.",
  },
  file: {
    name: "file",
    redis: "unused",
    django: "django.contrib.sessions.backends.file",
    capabilities: { ...SERVER_SIDE, survivesRestart: true, sharedAcrossServers: false, sizeLimit: DATA_LIMIT },
    where: "One file per session in SESSION_FILE_PATH, named by the token's hash",
    survivesRestart: "Yes: the folder (default var/sessions) is private to the app",
    revocation: "Yes: the file is deleted",
    shared: "Only servers that share the folder",
    parallelWrites:
      "Saves to one session wait in a queue in this process, and each merges its own changes into the file, so " +
      "parallel saves through one server all survive (between servers sharing the folder, the last writer wins).",
    deletedAtLogout: "file",
    listingNote: null,
    selfExpiry: null,
  },
  cookie: {
    name: "cookie",
    redis: "unused",
    django: "django.contrib.sessions.backends.signed_cookies",
    capabilities: {
      canList: false,
      canRevoke: false,
      keepsSessionInCookie: true,
      mergesParallelWrites: false,
      survivesRestart: true,
      sharedAcrossServers: true,
      sizeLimit: { bytes: MAX_COOKIE_BYTES, counts: "cookie" },
    },
    where: "In the browser: the whole session sealed (encrypted) in the cookie",
    survivesRestart: "Yes: the server keeps nothing",
    revocation: "No: a copy of the cookie works until it expires",
    shared: "Yes: any server with the secret opens it",
    parallelWrites:
      "Every response carries the whole session in a new cookie, and the browser keeps the last one it receives. " +
      "Parallel requests all start from the same cookie, so each cookie holds only its own change and most are lost.",
    deletedAtLogout: null,
    listingNote:
      "This server runs SESSION_ENGINE=cookie: each session lives only in its own browser's cookie, and the server keeps " +
      "no record of it. So it cannot list your other sessions or revoke any of them. Logging out clears this browser's " +
      "cookie, but a copy of a cookie keeps working until it expires. A server-side engine (db, cached_db, cache or file) can revoke sessions.",
    selfExpiry:
      "Each session lives in its browser's cookie, which carries its expiry sealed inside and is refused once that has " +
      "passed; the server keeps no copy.",
  },
};

/** The size limit in words: "64 KiB of data", "4096 bytes for the whole cookie". */
export function describeSizeLimit({ bytes, counts }: EngineCapabilities["sizeLimit"]): string {
  return counts === "cookie" ? `${bytes} bytes for the whole cookie` : `${bytes / 1024} KiB of data`;
}
