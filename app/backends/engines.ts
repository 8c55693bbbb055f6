import type { SessionEngineName } from "@/lib/config/env";

/** What each SESSION_ENGINE trades away: the table on /backends and in the README. */
export interface EngineFacts {
  name: SessionEngineName;
  django: string;
  where: string;
  survivesRestart: string;
  revocable: string;
  sizeLimit: string;
  shared: string;
}

export const ENGINES: EngineFacts[] = [
  {
    name: "db",
    django: "django.contrib.sessions.backends.db",
    where: "A row in the Session table of the SQLite database (the default)",
    survivesRestart: "Yes",
    revocable: "Yes: deleting the row ends it at once",
    sizeLimit: "64 KiB of data",
    shared: "Yes, for app servers on one machine (one SQLite file)",
  },
  {
    name: "cached_db",
    django: "django.contrib.sessions.backends.cached_db",
    where: "The Session table, plus a copy in a cache: Redis with REDIS_URL, else this server's memory",
    survivesRestart: "Yes: the database has everything",
    revocable: "Yes: the row and the cached copy are deleted",
    sizeLimit: "64 KiB of data",
    shared: "Yes with Redis; without it each server caches on its own",
  },
  {
    name: "cache",
    django: "django.contrib.sessions.backends.cache",
    where: "Redis only, one key per session with the session's expiry as its TTL",
    survivesRestart: "The app's, yes; Redis's only if Redis saves to disk",
    revocable: "Yes: the key is deleted",
    sizeLimit: "64 KiB of data",
    shared: "Yes: every server uses the same Redis",
  },
  {
    name: "file",
    django: "django.contrib.sessions.backends.file",
    where: "One file per session in SESSION_FILE_PATH, named by the token's hash",
    survivesRestart: "Yes: the folder (default var/sessions) is private to the app",
    revocable: "Yes: the file is deleted",
    sizeLimit: "64 KiB of data",
    shared: "Only servers that share the folder",
  },
  {
    name: "cookie",
    django: "django.contrib.sessions.backends.signed_cookies",
    where: "In the browser: the whole session sealed (encrypted) in the cookie",
    survivesRestart: "Yes: the server keeps nothing",
    revocable: "No: a copy of the cookie works until it expires",
    sizeLimit: "4096 bytes for the whole cookie",
    shared: "Yes: any server with the secret opens it",
  },
];
