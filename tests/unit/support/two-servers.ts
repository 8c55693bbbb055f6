import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSession } from "@/lib/session/open-session";
import { Session, type SessionContext } from "@/lib/session/session";
import type { SessionStore } from "@/lib/session/store";
import { testContext } from "./store-contract";

/** Two app servers' stores on one database, each with its own connection and in-process cache. */
export interface TwoServers {
  a: SessionStore;
  b: SessionStore;
  /** Makes "u1" a user (sessions have a foreign key to User). */
  createUser(id: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * What every server must agree on at once, whichever server a request reaches: run for every
 * database that several servers can share. `extra` adds the tests only one database needs.
 */
export function describeTwoServers<T extends TwoServers>(
  name: string,
  setUp: () => Promise<T>,
  extra?: (get: () => T & { loggedInThroughA(): Promise<string> }) => void,
): void {
  describe(name, () => {
    let servers: T;
    const contextFor = (store: SessionStore): SessionContext => testContext(store);

    beforeEach(async () => {
      servers = await setUp();
      await servers.createUser("u1");
    });

    afterEach(async () => {
      await servers.cleanup();
    });

    /** A logged-in session saved through A and read once through A (so A caches it), and its cookie. */
    async function loggedInThroughA(): Promise<string> {
      const session = Session.create(contextFor(servers.a));
      await session.login("u1");
      const instruction = await session.save();
      if (instruction.kind !== "set") throw new Error("expected a cookie");
      const cookie = await session.sealCookie(instruction.token);
      expect((await openSession(contextFor(servers.a), cookie)).session.userId).toBe("u1");
      return cookie;
    }

    it("a logout through B is refused by A on its next request", async () => {
      const cookie = await loggedInThroughA();
      await (await openSession(contextFor(servers.b), cookie)).session.flush();
      const replay = await openSession(contextFor(servers.a), cookie);
      expect(replay.rejected).toBe("unknown");
      expect(replay.session.userId).toBeNull();
    });

    it("a revocation, a password change or a deleted account through B ends the session on A", async () => {
      for (const reason of ["revoked", "password_changed", "account_deleted"] as const) {
        const cookie = await loggedInThroughA();
        expect(await servers.b.deleteForUser("u1", { reason })).toBe(1);
        expect((await openSession(contextFor(servers.a), cookie)).rejected).toBe(reason);
      }
    });

    it("50 parallel writes of different keys through A and B all survive, and A reads every one", async () => {
      const cookie = await loggedInThroughA();
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const { session } = await openSession(contextFor(i % 2 === 0 ? servers.a : servers.b), cookie);
          session.set(`key${i}`, i);
          await session.save();
        }),
      );
      const { session } = await openSession(contextFor(servers.a), cookie);
      expect(session.keys().filter((key) => key.startsWith("key"))).toHaveLength(50);
    });

    extra?.(() => ({ ...servers, loggedInThroughA }));
  });
}
