import { getSettings, type Settings } from "./config/env";
import { openDatabase, type Database } from "./db/client";
import { DbSessionStore } from "./session/backends/db";
import { createTokenSealer, sessionCookieName, type TokenSealer } from "./session/cookie";
import type { ExpiryPolicy } from "./session/expiry";
import type { SessionStore } from "./session/store";

/** Everything the app wires together once per process: the composition root. */
export interface Runtime {
  settings: Settings;
  db: Database;
  store: SessionStore;
  sealer: TokenSealer;
  policy: ExpiryPolicy;
  cookieName: string;
}

async function createRuntime(): Promise<Runtime> {
  const settings = getSettings();
  const db = await openDatabase(settings.databaseUrl);
  return {
    settings,
    db,
    store: new DbSessionStore(db),
    sealer: createTokenSealer(settings.sessionSecrets),
    policy: settings.expiry,
    cookieName: sessionCookieName(settings.secureCookies),
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
