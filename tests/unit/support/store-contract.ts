import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTokenSealer, type TokenSealer } from "@/lib/session/sealer";
import { SessionKeyError, SessionValueError } from "@/lib/session/errors";
import type { ExpiryPolicy } from "@/lib/session/expiry";
import { MAX_DATA_BYTES } from "@/lib/session/json";
import {
  describeDevice,
  listUserSessions,
  revokeAllSessions,
  revokeOtherSessions,
  revokeUserSession,
} from "@/lib/session/user-sessions";
import { openSession, type OpenedSession } from "@/lib/session/open-session";
import { Session, type CookieInstruction, type SessionContext } from "@/lib/session/session";
import { MAX_EVENTS, type SessionEvent } from "@/lib/session/activity";
import { type SessionStore } from "@/lib/session/store";
import { hashToken } from "@/lib/session/token";

/** What a store factory hands the contract. Optional hooks cover what only some stores can do. */
export interface StoreFixture {
  store: SessionStore;
  cleanup?: () => Promise<void>;
  /** Makes `id` a valid user id (the db store has a foreign key from Session.userId to User). */
  createUser?: (id: string) => Promise<void>;
  /** Overwrites the stored data of a session with text that is not JSON; absent if the store keeps objects. */
  corruptData?: (tokenHash: string) => Promise<void>;
  /** Messages passed to the store's log function, for stores that log. */
  logged?: string[];
  /** The sealer that goes with the store: the cookie engine's puts the record into the cookie. */
  sealer?: TokenSealer;
}

/**
 * What a backend cannot do, declared once when it is registered, as Django's cookie tests mark
 * the SessionTestsMixin tests that cannot apply. Everything else runs unchanged.
 */
export interface StoreCapabilities {
  /**
   * The record travels in the cookie (SESSION_ENGINE=cookie): ending a session on the server
   * cannot stop a copy of its cookie, the server cannot list or revoke a user's sessions, parallel
   * requests do not merge (the browser keeps the last cookie), and a cookie's 4096 bytes bound the data.
   */
  recordInCookie?: boolean;
  /** Keys expire by TTL (Redis): clearExpired has nothing to do and tombstones follow the real clock. */
  expiresByTtl?: boolean;
  /** How many events the store keeps; MAX_EVENTS unless it says otherwise. */
  maxEvents?: number;
}

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

export const CONTRACT_POLICY: ExpiryPolicy = {
  idleSeconds: 30 * MINUTE,
  absoluteSeconds: 12 * 60 * MINUTE,
  rememberIdleSeconds: 30 * DAY,
  rememberAbsoluteSeconds: 90 * DAY,
  touchIntervalSeconds: MINUTE,
};

const T0 = new Date("2030-01-01T00:00:00.000Z");
const SECRET = "contract-suite-secret-0123456789abcdefghij";

/** A sealer for tests that never look inside the cookie. */
export const TEST_SEALER: TokenSealer = createTokenSealer([SECRET]);

/** A context for tests that drive a store through the core: the contract's policy, no client details. */
export function testContext(
  store: SessionStore,
  { sealer = TEST_SEALER, now = () => new Date() }: { sealer?: TokenSealer; now?: () => Date } = {},
): SessionContext {
  return { store, sealer, policy: CONTRACT_POLICY, now, userAgent: null, ip: null };
}

/** Everything one test needs: a context with a hand-driven clock, a sealer, and shortcuts. */
function harness(fixture: StoreFixture, capabilities: StoreCapabilities) {
  let nowMs = T0.getTime();
  const sealer: TokenSealer = fixture.sealer ?? createTokenSealer([SECRET]);
  const ctx: SessionContext = {
    store: fixture.store,
    sealer,
    policy: CONTRACT_POLICY,
    now: () => new Date(nowMs),
    userAgent: "vitest",
    ip: "203.0.113.7",
  };

  const h = {
    ctx,
    sealer,
    store: fixture.store,
    now: () => new Date(nowMs),
    advance(seconds: number) {
      nowMs += seconds * 1000;
    },
    /** A date `seconds` after the start of the test's clock. */
    at: (seconds: number) => new Date(T0.getTime() + seconds * 1000),
    fresh: () => Session.create(ctx),
    async user(id: string): Promise<string> {
      await fixture.createUser?.(id);
      return id;
    },
    /** The cookie value a "set" instruction asks for; fails the test for any other instruction. */
    async cookieFrom(instruction: CookieInstruction): Promise<string> {
      if (instruction.kind !== "set")
        throw new Error(`Expected a "set" cookie instruction, got "${instruction.kind}".`);
      return sealer.seal(instruction.token);
    },
    open: (cookie: string | undefined): Promise<OpenedSession> => openSession(ctx, cookie),
    /** Opens a cookie that must still be valid. */
    async reopen(cookie: string): Promise<Session> {
      const { session, rejected } = await h.open(cookie);
      expect(rejected).toBeNull();
      expect(session.isNew).toBe(false);
      return session;
    },
    /** A stored session holding `data`, and its cookie. */
    async stored(data: Record<string, unknown> = { seed: 1 }): Promise<{ session: Session; cookie: string }> {
      const session = h.fresh();
      for (const [key, value] of Object.entries(data)) session.set(key, value);
      const cookie = await h.cookieFrom(await session.save());
      return { session, cookie };
    },
    /** A logged-in session of `userId`, saved, with its cookie and raw token. */
    async loggedIn(userId: string, options: { persistent?: boolean } = {}) {
      const session = h.fresh();
      await session.login(userId, options);
      const instruction = await session.save();
      const cookie = await h.cookieFrom(instruction);
      return { session, cookie, token: (instruction as { token: string }).token };
    },
    /** Why openSession refuses a cookie, or null when it accepts it. */
    rejection: async (cookie: string) => (await h.open(cookie)).rejected,
    /**
     * Asserts that a cookie whose session was ended is refused with `reason`. A cookie that
     * carries its record cannot be ended by the server: a copy still opens, as documented.
     */
    async expectEnded(cookie: string, reason: string) {
      expect(await h.rejection(cookie)).toBe(capabilities.recordInCookie ? null : reason);
    },
    /** The stored row behind a session. */
    async row(session: Session) {
      expect(session.tokenHash).not.toBeNull();
      const record = await fixture.store.load(session.tokenHash as string);
      expect(record).not.toBeNull();
      return record as NonNullable<typeof record>;
    },
  };
  return h;
}

type Harness = ReturnType<typeof harness>;

/** Values that JSON cannot carry unchanged; the session must refuse every one. */
function nonJsonValues(): [string, unknown][] {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  return [
    ["a function", () => 1],
    ["a BigInt", BigInt(1)],
    ["undefined", undefined],
    ["a symbol", Symbol("s")],
    ["a cyclic object", cyclic],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a Date instance", new Date(0)],
    ["a Map", new Map([["a", 1]])],
    ["a Set", new Set([1])],
    [
      "a class instance",
      new (class Point {
        x = 1;
      })(),
    ],
    ["undefined nested in an array", { list: [1, undefined] }],
    ["a function nested in an object", { deep: { fn: () => 1 } }],
  ];
}

/**
 * The behaviour every session store must share, as Django's SessionTestsMixin: driven through
 * the Session class and openSession, and through the store itself.
 */
export function describeSessionStore(
  name: string,
  makeStore: () => Promise<StoreFixture>,
  capabilities: StoreCapabilities = {},
): void {
  const inCookie = capabilities.recordInCookie === true;
  const maxEvents = capabilities.maxEvents ?? MAX_EVENTS;
  /** Tests of what only a server-side record can do: revocation, listing, merging parallel saves. */
  const serverSide = it.skipIf(inCookie);

  describe(`session store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let h: Harness;

    beforeEach(async () => {
      fixture = await makeStore();
      h = harness(fixture, capabilities);
    });

    afterEach(async () => {
      await fixture.cleanup?.();
    });

    describe("dictionary API", () => {
      it("get returns undefined for a missing key, or the default when one is given", () => {
        const s = h.fresh();
        expect(s.get("missing")).toBeUndefined();
        expect(s.get("missing", "fallback")).toBe("fallback");
        s.set("present", 0);
        expect(s.get("present", "fallback")).toBe(0);
      });

      it("set stores a copy of the value and overwrites an existing key", () => {
        const s = h.fresh();
        const value = { list: [1, 2], nested: { ok: true } };
        s.set("k", value);
        value.list.push(3);
        expect(s.get("k")).toEqual({ list: [1, 2], nested: { ok: true } });
        s.set("k", "replaced");
        expect(s.get("k")).toBe("replaced");
        expect(s.keys()).toEqual(["k"]);
      });

      it("has tells present keys from missing ones, including keys holding null or false", () => {
        const s = h.fresh();
        s.set("nothing", null);
        s.set("no", false);
        expect(s.has("nothing")).toBe(true);
        expect(s.has("no")).toBe(true);
        expect(s.has("other")).toBe(false);
        expect(s.has("toString")).toBe(false);
      });

      it("delete removes a key", () => {
        const s = h.fresh();
        s.set("a", 1);
        s.set("b", 2);
        s.delete("a");
        expect(s.has("a")).toBe(false);
        expect(s.keys()).toEqual(["b"]);
      });

      it("delete of a missing key throws SessionKeyError naming the key", () => {
        const s = h.fresh();
        let caught: unknown;
        try {
          s.delete("nope");
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(SessionKeyError);
        const error = caught as SessionKeyError;
        expect(error.key).toBe("nope");
        expect(error.message).toBe('KeyError: "nope"');
        expect(error.name).toBe("KeyError");
      });

      it("pop returns and removes a value, or returns the default for a missing key", () => {
        const s = h.fresh();
        s.set("a", { x: 1 });
        expect(s.pop("a")).toEqual({ x: 1 });
        expect(s.has("a")).toBe(false);
        expect(s.pop("a", "default")).toBe("default");
        expect(s.pop("a")).toBeUndefined();
      });

      it("setDefault keeps an existing value and sets a missing one", () => {
        const s = h.fresh();
        s.set("a", 1);
        expect(s.setDefault("a", 2)).toBe(1);
        expect(s.get("a")).toBe(1);
        expect(s.setDefault("b", 3)).toBe(3);
        expect(s.get("b")).toBe(3);
      });

      it("keys, values and items follow insertion order", () => {
        const s = h.fresh();
        s.set("first", 1);
        s.set("second", [2]);
        s.set("third", { n: 3 });
        expect(s.keys()).toEqual(["first", "second", "third"]);
        expect(s.values()).toEqual([1, [2], { n: 3 }]);
        expect(s.items()).toEqual([
          ["first", 1],
          ["second", [2]],
          ["third", { n: 3 }],
        ]);
      });

      it("clear empties the data; isEmpty reports it", () => {
        const s = h.fresh();
        expect(s.isEmpty).toBe(true);
        s.set("a", 1);
        s.set("b", 2);
        expect(s.isEmpty).toBe(false);
        s.clear();
        expect(s.isEmpty).toBe(true);
        expect(s.keys()).toEqual([]);
      });

      it("toJSON returns a copy of the whole dictionary", () => {
        const s = h.fresh();
        s.set("a", { list: [1] });
        const snapshot = s.toJSON();
        expect(snapshot).toEqual({ a: { list: [1] } });
        (snapshot.a as { list: number[] }).list.push(2);
        expect(s.get("a")).toEqual({ list: [1] });
      });

      it("reads set accessed but not modified; writes set modified", () => {
        const read = h.fresh();
        expect(read.accessed).toBe(false);
        expect(read.modified).toBe(false);
        read.get("x");
        expect(read.accessed).toBe(true);
        expect(read.modified).toBe(false);

        for (const reader of [(s: Session) => s.has("x"), (s: Session) => s.keys(), (s: Session) => s.isEmpty]) {
          const s = h.fresh();
          reader(s);
          expect(s.accessed).toBe(true);
          expect(s.modified).toBe(false);
        }

        const written = h.fresh();
        written.set("x", 1);
        expect(written.modified).toBe(true);
      });

      it("a reloaded session starts with both flags false, and delete or clear mark it modified", async () => {
        const { cookie } = await h.stored({ a: 1, b: 2 });
        const s = await h.reopen(cookie);
        expect(s.accessed).toBe(false);
        expect(s.modified).toBe(false);
        s.delete("a");
        expect(s.modified).toBe(true);
        const t = await h.reopen(cookie);
        t.clear();
        expect(t.modified).toBe(true);
      });
    });

    describe("persistence", () => {
      it("a session with nothing stored creates no row", async () => {
        const s = h.fresh();
        s.get("read-only");
        expect(await s.save()).toEqual({ kind: "none" });
        expect(s.isNew).toBe(true);
        expect(s.tokenHash).toBeNull();
      });

      it("a key set then deleted before the first save creates no row", async () => {
        const s = h.fresh();
        s.set("a", 1);
        s.delete("a");
        expect(await s.save()).toEqual({ kind: "none" });
        expect(s.isNew).toBe(true);
      });

      it("set and save create a row that openSession loads back from the sealed token", async () => {
        const s = h.fresh();
        s.set("cart", { items: [{ sku: "A-1", qty: 2 }], note: "héllo ✓" });
        s.set("flag", false);
        s.set("nothing", null);
        const instruction = await s.save();
        expect(instruction.kind).toBe("set");
        if (instruction.kind !== "set") return;
        expect(instruction.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(s.isNew).toBe(false);
        expect(s.tokenHash).toBe(hashToken(instruction.token));
        expect(await h.store.exists(hashToken(instruction.token))).toBe(true);

        const { session, rejected } = await h.open(await h.sealer.seal(instruction.token));
        expect(rejected).toBeNull();
        expect(session.toJSON()).toEqual({
          cart: { items: [{ sku: "A-1", qty: 2 }], note: "héllo ✓" },
          flag: false,
          nothing: null,
        });
        expect(session.id).toBe(s.id);
      });

      it("the row records the request's user agent, ip and creation time", async () => {
        const { session } = await h.stored();
        const row = await h.row(session);
        expect(row.userAgent).toBe("vitest");
        expect(row.ip).toBe("203.0.113.7");
        expect(row.createdAt).toEqual(h.now());
        expect(row.lastSeenAt).toEqual(h.now());
        expect(row.userId).toBeNull();
      });

      it("a loaded session saved without changes inside the touch interval writes nothing", async () => {
        const { cookie } = await h.stored({ a: 1 });
        h.advance(10);
        const s = await h.reopen(cookie);
        s.get("a");
        expect(await s.save()).toEqual({ kind: "none" });
      });

      it("changes to a loaded session are saved into the same row", async () => {
        const { session: original, cookie } = await h.stored({ a: 1, b: 2 });
        const s = await h.reopen(cookie);
        s.set("a", 10);
        s.delete("b");
        s.set("c", 3);
        await s.save();
        expect(s.tokenHash).toBe(original.tokenHash);
        expect((await h.reopen(cookie)).toJSON()).toEqual({ a: 10, c: 3 });
      });

      it("clear keeps the row and its key but empties the stored data", async () => {
        const { session: original, cookie } = await h.stored({ a: 1, b: 2 });
        const s = await h.reopen(cookie);
        s.clear();
        s.set("after", true);
        await s.save();
        expect(await h.store.exists(original.tokenHash as string)).toBe(true);
        expect((await h.reopen(cookie)).toJSON()).toEqual({ after: true });
      });

      it("no cookie gives a new session and no rejection", async () => {
        const { session, rejected } = await h.open(undefined);
        expect(rejected).toBeNull();
        expect(session.isNew).toBe(true);
      });

      it("a forged cookie is rejected as unknown and the next save clears it", async () => {
        const { session, rejected } = await h.open("forged-cookie-value");
        expect(rejected).toBe("unknown");
        expect(session.isNew).toBe(true);
        expect(await session.save()).toEqual({ kind: "clear" });
      });

      it("a save after the row was deleted elsewhere clears the cookie and does not resurrect the row", async () => {
        const { session: original, cookie } = await h.stored({ a: 1 });
        const s = await h.reopen(cookie);
        await h.store.delete(original.tokenHash as string);
        s.set("b", 2);
        expect(await s.save()).toEqual({ kind: "clear" });
        expect(await h.store.exists(original.tokenHash as string)).toBe(false);
      });

      it("the store answers for unknown keys without throwing", async () => {
        const unknown = hashToken("never-issued");
        expect(await h.store.load(unknown)).toBeNull();
        expect(await h.store.exists(unknown)).toBe(false);
        await expect(h.store.delete(unknown)).resolves.toBeUndefined();
      });

      it("load returns a copy: changing it does not change the stored session", async () => {
        const { session } = await h.stored({ list: [1] });
        const first = await h.row(session);
        (first.data.list as number[]).push(2);
        first.data.extra = true;
        expect((await h.row(session)).data).toEqual({ list: [1] });
      });

      it("the store never holds the raw token, only its hash", async () => {
        const s = h.fresh();
        s.set("a", 1);
        const instruction = await s.save();
        if (instruction.kind !== "set") throw new Error("expected a cookie");
        expect(await h.store.exists(instruction.token)).toBe(false);
        const row = await h.row(s);
        expect(JSON.stringify(row)).not.toContain(instruction.token);
      });
    });

    describe("merging concurrent saves", () => {
      serverSide("two sessions on one row changing different keys both survive", async () => {
        const { cookie } = await h.stored({ base: 0 });
        const a = await h.reopen(cookie);
        const b = await h.reopen(cookie);
        a.set("fromA", 1);
        b.set("fromB", 2);
        await a.save();
        await b.save();
        expect((await h.reopen(cookie)).toJSON()).toEqual({ base: 0, fromA: 1, fromB: 2 });
      });

      serverSide("a delete in one session and a set in another both survive", async () => {
        const { cookie } = await h.stored({ doomed: 1, kept: 2 });
        const a = await h.reopen(cookie);
        const b = await h.reopen(cookie);
        a.delete("doomed");
        b.set("added", 3);
        await Promise.all([a.save(), b.save()]);
        expect((await h.reopen(cookie)).toJSON()).toEqual({ kept: 2, added: 3 });
      });

      serverSide("50 sessions on one row, each setting its own key and saved together, lose nothing", async () => {
        const { cookie } = await h.stored({ base: true });
        const sessions = await Promise.all(Array.from({ length: 50 }, () => h.reopen(cookie)));
        sessions.forEach((s, i) => s.set(`key${i}`, i));
        await Promise.all(sessions.map((s) => s.save()));
        const reloaded = await h.reopen(cookie);
        expect(reloaded.keys()).toHaveLength(51);
        for (let i = 0; i < 50; i++) expect(reloaded.get(`key${i}`)).toBe(i);
      });
    });

    describe("flush", () => {
      it("deletes the row, empties the data and logs the user out", async () => {
        const userId = await h.user("flush-user");
        const s = h.fresh();
        s.set("a", 1);
        await s.login(userId);
        const cookie = await h.cookieFrom(await s.save());
        const hash = s.tokenHash as string;

        await s.flush();
        expect(await h.store.exists(hash)).toBe(false);
        expect(s.toJSON()).toEqual({});
        expect(s.userId).toBeNull();
        expect(s.isNew).toBe(true);
        expect(s.modified).toBe(true);
        expect(await s.save()).toEqual({ kind: "clear" });
        await h.expectEnded(cookie, "unknown");
      });

      it("data set after a flush goes into a new row under a new key", async () => {
        const { session: s } = await h.stored({ a: 1 });
        const oldHash = s.tokenHash as string;
        await s.flush();
        s.set("b", 2);
        const cookie = await h.cookieFrom(await s.save());
        expect(s.tokenHash).not.toBe(oldHash);
        expect((await h.reopen(cookie)).toJSON()).toEqual({ b: 2 });
      });
    });

    describe("cycleKey", () => {
      it("moves the same data to a new key and deletes the old row", async () => {
        const { cookie: oldCookie } = await h.stored({ a: 1, b: [2] });
        const s = await h.reopen(oldCookie);
        const oldHash = s.tokenHash as string;
        const oldId = s.id;
        await s.cycleKey();

        expect(s.tokenHash).not.toBeNull();
        expect(s.tokenHash).not.toBe(oldHash);
        expect(s.id).not.toBe(oldId);
        expect(await h.store.exists(oldHash)).toBe(false);
        expect(await h.store.exists(s.tokenHash as string)).toBe(true);

        const newCookie = await h.cookieFrom(await s.save());
        expect((await h.reopen(newCookie)).toJSON()).toEqual({ a: 1, b: [2] });
        await h.expectEnded(oldCookie, "unknown");
      });

      it("carries unsaved changes to the new key", async () => {
        const { cookie } = await h.stored({ a: 1 });
        const s = await h.reopen(cookie);
        s.set("pending", true);
        await s.cycleKey();
        const newCookie = await h.cookieFrom(await s.save());
        expect((await h.reopen(newCookie)).toJSON()).toEqual({ a: 1, pending: true });
      });

      it("on a session without a row, waits for the first save", async () => {
        const s = h.fresh();
        s.set("a", 1);
        await s.cycleKey();
        expect(s.isNew).toBe(true);
        const cookie = await h.cookieFrom(await s.save());
        expect((await h.reopen(cookie)).toJSON()).toEqual({ a: 1 });
      });

      it("merges into what is stored now: a change saved by another request meanwhile is kept", async () => {
        const { cookie } = await h.stored({ a: 1 });
        const s = await h.reopen(cookie);
        const other = await h.reopen(cookie);
        other.set("fromOther", 2);
        await other.save();
        s.set("mine", 3);
        await s.cycleKey();
        const newCookie = await h.cookieFrom(await s.save());
        expect((await h.reopen(newCookie)).toJSON()).toEqual({ a: 1, fromOther: 2, mine: 3 });
      });

      it("of a session deleted after it was loaded, creates nothing and clears the cookie", async () => {
        const { session: original, cookie } = await h.stored({ secret: "data" });
        const s = await h.reopen(cookie);
        await h.store.delete(original.tokenHash as string, "revoked");

        await s.cycleKey();
        expect(s.isNew).toBe(true);
        expect(s.tokenHash).toBeNull();
        expect(s.toJSON()).toEqual({});
        expect(await s.save()).toEqual({ kind: "clear" });
        expect(await h.store.exists(original.tokenHash as string)).toBe(false);
        await h.expectEnded(cookie, "revoked");
      });

      serverSide("after a log out everywhere, brings nothing back: no new key, no session for the user", async () => {
        const userId = await h.user("rotating-user");
        const { cookie } = await h.loggedIn(userId);
        const s = await h.reopen(cookie); // the request loaded its copy ...
        const oldHash = s.tokenHash as string;
        s.set("pending", true);
        // ... then another request logged the user out everywhere, before this one rotated the key.
        expect(await h.store.deleteForUser(userId, { reason: "logged_out_everywhere" })).toBe(1);

        await s.cycleKey();
        const newHash = s.tokenHash;
        expect(newHash).toBeNull();
        expect(s.userId).toBeNull();
        expect(await h.store.listForUser(userId, h.now())).toEqual([]);
        expect(await s.save()).toEqual({ kind: "clear" });
        expect(await h.store.listForUser(userId, h.now())).toEqual([]);
        expect(await h.store.exists(oldHash)).toBe(false);
        expect(await h.store.endReason(oldHash)).toBe("logged_out_everywhere");
        expect(await h.rejection(cookie)).toBe("logged_out_everywhere");
      });

      serverSide(
        "a rotation racing a log out everywhere leaves the user no session, whichever lands first",
        async () => {
          const userId = await h.user("racing-user");
          for (let round = 0; round < 5; round++) {
            const { cookie } = await h.loggedIn(userId);
            const s = await h.reopen(cookie);
            await Promise.all([s.cycleKey(), h.store.deleteForUser(userId, { reason: "logged_out_everywhere" })]);
            // The log out ends the session under its old key or, if the rotation landed first, under its new one.
            const saved = await s.save();
            expect(await h.store.listForUser(userId, h.now())).toEqual([]);
            if (saved.kind === "set") expect(await h.rejection(await h.cookieFrom(saved))).not.toBeNull();
            expect(await h.rejection(cookie)).not.toBeNull();
          }
        },
      );
    });

    describe("login", () => {
      it("keeps the anonymous data on a fresh login and rotates the key", async () => {
        const userId = await h.user("alice");
        const { cookie: anonymousCookie } = await h.stored({ cart: ["book"] });
        // At the same clock instant as the visit that filled the cart: the new key must still
        // reach the browser although no expiry moved (a regression: save() returned "none").
        const s = await h.reopen(anonymousCookie);
        const anonymousHash = s.tokenHash;
        await s.login(userId);
        expect(s.userId).toBe(userId);
        expect(s.tokenHash).not.toBe(anonymousHash);

        const instruction = await s.save();
        expect(instruction.kind).toBe("set");
        if (instruction.kind !== "set") return;
        expect(hashToken(instruction.token)).toBe(s.tokenHash);
        const cookie = await h.cookieFrom(instruction);
        const reloaded = await h.reopen(cookie);
        expect(reloaded.userId).toBe(userId);
        expect(reloaded.toJSON()).toEqual({ cart: ["book"] });
        await h.expectEnded(anonymousCookie, "unknown");
      });

      it("on a session that was never saved, creates the row at the next save", async () => {
        const userId = await h.user("bob");
        const s = h.fresh();
        s.set("theme", "dark");
        await s.login(userId);
        const cookie = await h.cookieFrom(await s.save());
        const reloaded = await h.reopen(cookie);
        expect(reloaded.userId).toBe(userId);
        expect(reloaded.toJSON()).toEqual({ theme: "dark" });
      });

      it("a login with no data still creates a row that holds the user", async () => {
        const userId = await h.user("carol");
        const s = h.fresh();
        await s.login(userId);
        const cookie = await h.cookieFrom(await s.save());
        expect((await h.reopen(cookie)).userId).toBe(userId);
      });

      it("logging in again as the same user keeps the data and rotates the key", async () => {
        const userId = await h.user("dave");
        const s = h.fresh();
        s.set("a", 1);
        await s.login(userId);
        const firstCookie = await h.cookieFrom(await s.save());
        const before = s.tokenHash;
        await s.login(userId); // same clock instant
        const cookie = await h.cookieFrom(await s.save());
        expect(s.tokenHash).not.toBe(before);
        await h.expectEnded(firstCookie, "unknown");
        expect((await h.reopen(cookie)).toJSON()).toEqual({ a: 1 });
      });

      it("logging in as a different user flushes the previous user's data", async () => {
        const first = await h.user("erin");
        const second = await h.user("frank");
        const s = h.fresh();
        s.set("secret", "erin's");
        await s.login(first);
        const firstCookie = await h.cookieFrom(await s.save());
        const firstHash = s.tokenHash as string;

        await s.login(second);
        expect(s.userId).toBe(second);
        expect(s.toJSON()).toEqual({});
        const cookie = await h.cookieFrom(await s.save());
        const reloaded = await h.reopen(cookie);
        expect(reloaded.userId).toBe(second);
        expect(reloaded.toJSON()).toEqual({});
        expect(await h.store.exists(firstHash)).toBe(false);
        await h.expectEnded(firstCookie, "unknown");
      });

      it("a default login is a browser-session cookie with the default timeouts", async () => {
        const userId = await h.user("gina");
        const s = h.fresh();
        await s.login(userId);
        const instruction = await s.save();
        expect(instruction).toMatchObject({ kind: "set", maxAge: undefined });
        expect(s.expiresAtBrowserClose).toBe(true);
        expect(s.idleSeconds).toBe(CONTRACT_POLICY.idleSeconds);
      });

      it("a persistent login gets a 30-day cookie and the remember-me lifetimes", async () => {
        const userId = await h.user("hank");
        const { cookie: anonymous } = await h.stored({ a: 1 });
        const s = await h.reopen(anonymous);
        await s.login(userId, { persistent: true });
        const instruction = await s.save();
        expect(instruction).toMatchObject({ kind: "set", maxAge: 30 * DAY });
        expect(s.expiresAtBrowserClose).toBe(false);
        expect(s.idleSeconds).toBe(30 * DAY);
        const row = await h.row(s);
        expect(row.persistent).toBe(true);
        expect(row.expiresAt).toEqual(h.at(30 * DAY));
        expect(row.absoluteExpiresAt).toEqual(h.at(90 * DAY));

        // It outlives the default idle timeout.
        const cookie = await h.cookieFrom(instruction);
        h.advance(2 * DAY);
        expect((await h.open(cookie)).rejected).toBeNull();
      });
    });

    describe("password confirmation (sudo mode)", () => {
      it("a login records it, and it survives a save and a reload", async () => {
        const userId = await h.user("ivy");
        const { session, cookie } = await h.loggedIn(userId);
        expect(session.passwordConfirmedAt).toEqual(h.at(0));
        expect((await h.row(session)).passwordConfirmedAt).toEqual(h.at(0));
        h.advance(30);
        expect((await h.reopen(cookie)).passwordConfirmedAt).toEqual(h.at(0));
      });

      it("an anonymous session stores none", async () => {
        const { session, cookie } = await h.stored({ cart: [1] });
        expect((await h.row(session)).passwordConfirmedAt).toBeNull();
        expect((await h.reopen(cookie)).passwordConfirmedAt).toBeNull();
      });

      it("a confirmation survives a save, a reload and a key rotation", async () => {
        const userId = await h.user("jack");
        const { cookie } = await h.loggedIn(userId);
        h.advance(700);
        const s = await h.reopen(cookie);
        s.confirmPassword();
        const saved = await h.cookieFrom(await s.save());
        expect((await h.row(s)).passwordConfirmedAt).toEqual(h.at(700));
        const reloaded = await h.reopen(saved);
        expect(reloaded.passwordConfirmedAt).toEqual(h.at(700));

        h.advance(10);
        await reloaded.cycleKey();
        const rotated = await h.cookieFrom(await reloaded.save());
        expect((await h.reopen(rotated)).passwordConfirmedAt).toEqual(h.at(700));
      });

      it("a confirmation made before a key rotation in the same request is carried to the new key", async () => {
        const userId = await h.user("kate");
        const { cookie } = await h.loggedIn(userId);
        h.advance(900);
        const s = await h.reopen(cookie);
        await s.cycleKey();
        s.confirmPassword();
        const rotated = await h.cookieFrom(await s.save());
        expect((await h.reopen(rotated)).passwordConfirmedAt).toEqual(h.at(900));
      });

      it("logging in again as the same user rotates the key and starts it again from that login", async () => {
        const userId = await h.user("liam");
        const { session } = await h.loggedIn(userId);
        h.advance(1200);
        await session.login(userId);
        const cookie = await h.cookieFrom(await session.save());
        expect((await h.reopen(cookie)).passwordConfirmedAt).toEqual(h.at(1200));
      });

      it("a flush forgets it, and a login by another user carries none of the first user's", async () => {
        const first = await h.user("mia");
        const second = await h.user("noah");
        const { session } = await h.loggedIn(first);
        h.advance(60);
        session.confirmPassword();
        await session.save();

        await session.flush();
        expect(session.passwordConfirmedAt).toBeNull();
        session.set("after", "flush");
        const anonymous = await h.cookieFrom(await session.save());
        expect((await h.reopen(anonymous)).passwordConfirmedAt).toBeNull();

        const { session: shared } = await h.loggedIn(first);
        h.advance(60);
        shared.confirmPassword();
        await shared.save();
        h.advance(60);
        await shared.login(second);
        const cookie = await h.cookieFrom(await shared.save());
        const reloaded = await h.reopen(cookie);
        expect(reloaded.userId).toBe(second);
        expect(reloaded.passwordConfirmedAt).toEqual(h.at(180));
      });

      serverSide("merges like the other fields: a parallel save of a key keeps the confirmation", async () => {
        const userId = await h.user("olga");
        const { cookie } = await h.loggedIn(userId);
        h.advance(800);
        const confirming = await h.reopen(cookie);
        const writing = await h.reopen(cookie);
        confirming.confirmPassword();
        writing.set("cart", ["book"]);
        await Promise.all([confirming.save(), writing.save()]);
        const reloaded = await h.reopen(cookie);
        expect(reloaded.passwordConfirmedAt).toEqual(h.at(800));
        expect(reloaded.get("cart")).toEqual(["book"]);
      });
    });

    describe("expiry", () => {
      it("a session idle for the idle timeout is rejected as idle", async () => {
        const { cookie } = await h.stored();
        h.advance(CONTRACT_POLICY.idleSeconds - 1);
        expect((await h.open(cookie)).rejected).toBeNull();
        h.advance(1);
        const { session, rejected } = await h.open(cookie);
        expect(rejected).toBe("idle");
        expect(session.isNew).toBe(true);
        expect(await session.save()).toEqual({ kind: "clear" });
      });

      it("activity slides the idle window: idle time counts from the last touch", async () => {
        const { cookie } = await h.stored();
        h.advance(20 * MINUTE);
        await (await h.reopen(cookie)).save();
        h.advance(20 * MINUTE);
        expect((await h.open(cookie)).rejected).toBeNull();
      });

      it("a session kept active still ends at its absolute lifetime", async () => {
        const { cookie } = await h.stored();
        const step = 20 * MINUTE;
        for (let elapsed = step; elapsed < CONTRACT_POLICY.absoluteSeconds; elapsed += step) {
          h.advance(step);
          const s = await h.reopen(cookie);
          s.set("lastVisit", elapsed);
          await s.save();
        }
        h.advance(step);
        expect(h.now().getTime()).toBeGreaterThanOrEqual(h.at(CONTRACT_POLICY.absoluteSeconds).getTime());
        expect((await h.open(cookie)).rejected).toBe("absolute");
      });

      it("a save after the touch interval moves expiresAt forward and reissues the cookie", async () => {
        const { session: created, cookie } = await h.stored();
        expect((await h.row(created)).expiresAt).toEqual(h.at(30 * MINUTE));
        h.advance(CONTRACT_POLICY.touchIntervalSeconds + 1);
        const s = await h.reopen(cookie);
        const instruction = await s.save();
        expect(instruction.kind).toBe("set");
        const row = await h.row(s);
        expect(row.lastSeenAt).toEqual(h.now());
        expect(row.expiresAt).toEqual(h.at(CONTRACT_POLICY.touchIntervalSeconds + 1 + 30 * MINUTE));
      });

      it("a save inside the touch interval does not write", async () => {
        const { session: created, cookie } = await h.stored();
        const before = await h.row(created);
        h.advance(CONTRACT_POLICY.touchIntervalSeconds - 1);
        const s = await h.reopen(cookie);
        expect(await s.save()).toEqual({ kind: "none" });
        const after = await h.row(s);
        expect(after.expiresAt).toEqual(before.expiresAt);
        expect(after.lastSeenAt).toEqual(before.lastSeenAt);
      });

      it("getExpiryAge and getExpiryDate follow the default policy", async () => {
        const s = h.fresh();
        expect(s.getExpiryAge()).toBe(30 * MINUTE);
        expect(s.getExpiryDate()).toEqual(h.at(30 * MINUTE));
        expect(s.expiresAtBrowserClose).toBe(true);
      });

      it("setExpiry(seconds) sets a per-session idle age and a cookie of that age", async () => {
        const s = h.fresh();
        s.set("a", 1);
        s.setExpiry(300);
        expect(s.getExpiryAge()).toBe(300);
        expect(s.getExpiryDate()).toEqual(h.at(300));
        expect(s.idleSeconds).toBe(300);
        expect(s.expiresAtBrowserClose).toBe(false);
        const instruction = await s.save();
        expect(instruction).toMatchObject({ kind: "set", maxAge: 300 });
        expect((await h.row(s)).expiresAt).toEqual(h.at(300));

        const cookie = await h.cookieFrom(instruction);
        h.advance(300);
        expect((await h.open(cookie)).rejected).toBe("idle");
      });

      it("setExpiry on a stored session reissues the cookie even inside the touch interval", async () => {
        const { cookie } = await h.stored();
        const s = await h.reopen(cookie);
        s.setExpiry(600);
        const instruction = await s.save();
        expect(instruction).toMatchObject({ kind: "set", maxAge: 600 });
        expect((await h.row(s)).expiryAge).toBe(600);
        expect((await h.reopen(cookie)).idleSeconds).toBe(600);
      });

      it("setExpiry(Date) fixes the expiry: activity does not slide it", async () => {
        const until = h.at(2 * 60 * MINUTE);
        const s = h.fresh();
        s.set("a", 1);
        s.setExpiry(until);
        expect(s.getExpiryDate()).toEqual(until);
        expect(s.getExpiryAge()).toBe(2 * 60 * MINUTE);
        const instruction = await s.save();
        expect(instruction).toMatchObject({ kind: "set", maxAge: 2 * 60 * MINUTE });
        const cookie = await h.cookieFrom(instruction);

        h.advance(60 * MINUTE); // past the default idle timeout, before the fixed date
        const later = await h.reopen(cookie);
        expect(await later.save()).toEqual({ kind: "none" });
        expect((await h.row(later)).expiresAt).toEqual(until);

        h.advance(60 * MINUTE);
        expect((await h.open(cookie)).rejected).toBe("idle");
      });

      it("setExpiry(Date) cannot outlive the absolute lifetime", () => {
        const s = h.fresh();
        s.setExpiry(h.at(365 * DAY));
        expect(s.getExpiryDate()).toEqual(h.at(CONTRACT_POLICY.absoluteSeconds));
      });

      it("setExpiry(0) makes a browser-session cookie that still times out on the server", async () => {
        const s = h.fresh();
        s.set("a", 1);
        s.setExpiry(0);
        expect(s.expiresAtBrowserClose).toBe(true);
        expect(s.idleSeconds).toBe(CONTRACT_POLICY.idleSeconds);
        const instruction = await s.save();
        expect(instruction.kind).toBe("set");
        expect(instruction).toHaveProperty("maxAge", undefined);
        const cookie = await h.cookieFrom(instruction);
        h.advance(CONTRACT_POLICY.idleSeconds);
        expect((await h.open(cookie)).rejected).toBe("idle");
      });

      it("setExpiry(0) on a persistent session saved earlier reissues it as a browser-session cookie", async () => {
        const userId = await h.user("kim");
        const { cookie } = await h.loggedIn(userId, { persistent: true });
        h.advance(10);
        const s = await h.reopen(cookie);
        s.setExpiry(0);
        const instruction = await s.save();
        // The 30-day cookie must be replaced by one without Max-Age; on the server the
        // remember-me idle timeout still applies, counted from this request.
        expect(instruction.kind).toBe("set");
        expect(instruction).toHaveProperty("maxAge", undefined);
        expect((await h.row(s)).expiresAt).toEqual(h.at(10 + 30 * DAY));
      });

      it("setExpiry(1800) on a default session 10 s later reissues the cookie with a Max-Age", async () => {
        const { cookie } = await h.stored();
        h.advance(10);
        const s = await h.reopen(cookie);
        s.setExpiry(1800); // the same idle age as the default, counted from now
        const instruction = await s.save();
        expect((await h.row(s)).expiresAt).toEqual(h.at(10 + 1800));
        // The browser-session cookie becomes a persistent one, ending when the server's row does.
        expect(instruction).toMatchObject({ kind: "set", maxAge: 1800 });
        expect(s.expiresAtBrowserClose).toBe(false);
      });

      it("setExpiry(seconds) counts from the request that sets it, as Django counts from the save", async () => {
        const { cookie } = await h.stored();
        h.advance(45); // inside the touch interval: no sliding write has moved lastSeenAt since
        const s = await h.reopen(cookie);
        s.setExpiry(300);
        expect(s.getExpiryDate()).toEqual(h.at(45 + 300));
        expect(s.getExpiryAge()).toBe(300);
        const instruction = await s.save();
        expect(instruction).toMatchObject({ kind: "set", maxAge: 300 });
        const row = await h.row(s);
        expect(row.expiresAt).toEqual(h.at(45 + 300));
        expect(row.lastSeenAt).toEqual(h.at(45));
        h.advance(299);
        expect((await h.open(cookie)).rejected).toBeNull();
        h.advance(1);
        expect((await h.open(cookie)).rejected).toBe("idle");
      });

      it("a save a few milliseconds after the expiry was set still sends the whole age as Max-Age", async () => {
        const { cookie } = await h.stored();
        const s = await h.reopen(cookie);
        s.setExpiry(300);
        h.advance(0.004);
        expect(await s.save()).toMatchObject({ kind: "set", maxAge: 300 });

        const userId = await h.user("lena");
        const login = h.fresh();
        await login.login(userId, { persistent: true });
        h.advance(0.004);
        expect(await login.save()).toMatchObject({ kind: "set", maxAge: 30 * DAY });
      });

      it("getExpiryDate and getExpiryAge predict what save() then stores and returns", async () => {
        const { cookie } = await h.stored();
        h.advance(30); // half the touch interval: save() will not slide lastSeenAt
        const s = await h.reopen(cookie);
        s.setExpiry(300);
        const predictedDate = s.getExpiryDate();
        const predictedAge = s.getExpiryAge();
        expect(predictedDate).toEqual(h.at(30 + 300));
        const instruction = await s.save();
        expect((await h.row(s)).expiresAt).toEqual(predictedDate);
        expect(instruction.kind).toBe("set");
        if (instruction.kind !== "set") return;
        expect(Math.abs((instruction.maxAge as number) - predictedAge)).toBeLessThanOrEqual(1);

        // Past the touch interval the prediction includes the slide that save() makes.
        h.advance(60);
        const later = await h.reopen(cookie);
        const slid = later.getExpiryDate();
        expect(slid).toEqual(h.at(30 + 60 + 300));
        const age = later.getExpiryAge();
        const reissued = await later.save();
        expect((await h.row(later)).expiresAt).toEqual(slid);
        expect(reissued).toMatchObject({ kind: "set" });
        if (reissued.kind !== "set") return;
        expect(Math.abs((reissued.maxAge as number) - age)).toBeLessThanOrEqual(1);
      });

      it("setExpiry(null) goes back to the default policy", async () => {
        const userId = await h.user("ivy");
        const s = h.fresh();
        await s.login(userId, { persistent: true });
        s.setExpiry(300);
        expect(s.idleSeconds).toBe(300);
        s.setExpiry(null);
        expect(s.idleSeconds).toBe(30 * DAY);
        expect(s.expiresAtBrowserClose).toBe(false);

        const anonymous = h.fresh();
        anonymous.setExpiry(h.at(60));
        anonymous.setExpiry(null);
        expect(anonymous.getExpiryDate()).toEqual(h.at(30 * MINUTE));
        expect(anonymous.expiresAtBrowserClose).toBe(true);
      });

      it("setExpiry refuses negative, fractional and invalid values", () => {
        const s = h.fresh();
        expect(() => s.setExpiry(-1)).toThrow(RangeError);
        expect(() => s.setExpiry(1.5)).toThrow(RangeError);
        expect(() => s.setExpiry(Number.NaN)).toThrow(RangeError);
        expect(() => s.setExpiry(new Date("not a date"))).toThrow(RangeError);
        expect(s.modified).toBe(false);
      });
    });

    describe("clearExpired", () => {
      it.runIf(inCookie || capabilities.expiresByTtl)(
        "has nothing to clear: expiry is the cookie's or the TTL's",
        async () => {
          const { session } = await h.stored({ n: 1 });
          expect(await h.store.clearExpired(h.at(DAY))).toBe(0);
          expect(await h.store.exists(session.tokenHash as string)).toBe(true);
        },
      );

      it.skipIf(inCookie || capabilities.expiresByTtl)(
        "removes only the expired rows and returns how many",
        async () => {
          const userId = await h.user("jane");
          const { session: early } = await h.stored({ n: 1 }); // expires at 30 min
          h.advance(10 * MINUTE);
          const { session: later } = await h.stored({ n: 2 }); // expires at 40 min
          const persistent = h.fresh();
          await persistent.login(userId, { persistent: true });
          await persistent.save();

          expect(await h.store.clearExpired(h.at(29 * MINUTE))).toBe(0);
          expect(await h.store.clearExpired(h.at(35 * MINUTE))).toBe(1);
          expect(await h.store.exists(early.tokenHash as string)).toBe(false);
          expect(await h.store.exists(later.tokenHash as string)).toBe(true);
          expect(await h.store.exists(persistent.tokenHash as string)).toBe(true);
          expect(await h.store.clearExpired(h.at(35 * MINUTE))).toBe(0);
          expect(await h.store.clearExpired(h.at(40 * MINUTE))).toBe(1);
          expect(await h.store.exists(persistent.tokenHash as string)).toBe(true);
        },
      );
    });

    describe("activity log", () => {
      /** "type" or "type: detail", oldest first. */
      const lines = (events: SessionEvent[]) =>
        events.map((e) => (e.detail === undefined ? e.type : `${e.type}: ${e.detail}`));

      it("a new session's log starts with 'created', stamped by the session's clock", async () => {
        const { cookie } = await h.stored({ theme: "dark" });
        const events = (await h.reopen(cookie)).events;
        expect(events[0]).toEqual({ at: h.now().toISOString(), type: "created" });
        expect(lines(events)).toEqual(["created", "key_set: theme"]);
      });

      it("each change appends its event, and the log survives reloads and key changes", async () => {
        const userId = await h.user("logan");
        const { cookie } = await h.stored({ a: 1, b: 2 });

        h.advance(30);
        const first = await h.reopen(cookie);
        first.set("x", 1);
        first.delete("a");
        first.pop("b");
        first.pop("missing", "fallback"); // nothing removed, nothing logged
        first.clear();
        first.setExpiry(600);
        await first.save();

        const second = await h.reopen(cookie);
        await second.cycleKey();
        const rotated = await h.cookieFrom(await second.save());

        const third = await h.reopen(rotated);
        await third.login(userId);
        const loggedIn = await h.cookieFrom(await third.save());

        const events = (await h.reopen(loggedIn)).events;
        expect(events.map((e) => e.type)).toEqual([
          "created",
          "key_set",
          "key_set",
          "key_set",
          "key_deleted",
          "key_deleted",
          "cleared",
          "expiry_changed",
          "key_rotated", // twice in a row: login rotates the key too
          "logged_in",
        ]);
        expect(events[8]?.count).toBe(2);
        expect(lines(events).slice(1, 6)).toEqual([
          "key_set: a",
          "key_set: b",
          "key_set: x",
          "key_deleted: a",
          "key_deleted: b",
        ]);
        expect(events[4]?.at).toBe(h.now().toISOString());
      });

      it("folds back-to-back repeats into one line that counts them, across saves", async () => {
        const { cookie } = await h.stored();
        for (const [key, seconds] of [
          ["cart", 1],
          ["cart", 2],
          ["cart", 3],
          ["theme", 4],
        ] as const) {
          h.advance(1);
          const s = await h.reopen(cookie);
          s.set(key, seconds);
          await s.save();
        }
        const events = (await h.reopen(cookie)).events;
        expect(events.slice(-2)).toEqual([
          { at: h.at(3).toISOString(), type: "key_set", detail: "cart", count: 3, firstAt: h.at(1).toISOString() },
          { at: h.at(4).toISOString(), type: "key_set", detail: "theme" },
        ]);
      });

      it("a save after the touch interval logs 'expiry_extended'; one inside it logs nothing", async () => {
        const { cookie } = await h.stored();
        const before = (await h.reopen(cookie)).events;

        h.advance(CONTRACT_POLICY.touchIntervalSeconds - 1);
        await (await h.reopen(cookie)).save();
        expect((await h.reopen(cookie)).events).toEqual(before);

        h.advance(1);
        await (await h.reopen(cookie)).save();
        const after = (await h.reopen(cookie)).events;
        expect(after).toHaveLength(before.length + 1);
        expect(after.at(-1)).toEqual({ at: h.now().toISOString(), type: "expiry_extended" });

        // The next extension folds into the same line, with a number, not a count in its text.
        const firstAt = h.now().toISOString();
        h.advance(CONTRACT_POLICY.touchIntervalSeconds);
        await (await h.reopen(cookie)).save();
        const folded = (await h.reopen(cookie)).events;
        expect(folded).toHaveLength(before.length + 1);
        expect(folded.at(-1)).toEqual({ at: h.now().toISOString(), type: "expiry_extended", count: 2, firstAt });
      });

      it(`keeps only the last ${maxEvents} events across saves`, async () => {
        const { cookie } = await h.stored({ seed: 0 }); // "created", "key_set: seed"
        for (let i = 0; i < 60; i++) {
          const s = await h.reopen(cookie);
          s.set(`k${i}`, i);
          await s.save();
        }
        const events = (await h.reopen(cookie)).events;
        expect(events).toHaveLength(maxEvents);
        expect(events[0]?.detail).toBe(`k${60 - maxEvents}`);
        expect(events.at(-1)?.detail).toBe("k59");
      });

      it(`keeps only the last ${maxEvents} events of a new session's first save`, async () => {
        const s = h.fresh();
        for (let i = 0; i < 60; i++) s.set(`k${i}`, i);
        const events = (await h.reopen(await h.cookieFrom(await s.save()))).events;
        expect(events).toHaveLength(maxEvents);
        expect(events.at(-1)?.detail).toBe("k59");
      });

      it("never records a value", async () => {
        const secret = "hunter2-super-secret";
        const s = h.fresh();
        s.set("note", secret);
        s.set("nested", { deep: [secret] });
        s.setDefault("other", secret);
        s.pop("note");
        expect(JSON.stringify(s.events)).not.toContain("hunter2");
        const cookie = await h.cookieFrom(await s.save());
        const events = (await h.reopen(cookie)).events;
        expect(events.length).toBeGreaterThan(3);
        expect(JSON.stringify(events)).not.toContain("hunter2");
      });

      it("replaces key names that look secret, and keeps ordinary ones", async () => {
        const secretKeys = ["api_key", "sk_live_51Habcdefghijkl1234567890", "password", "oauthToken"];
        const s = h.fresh();
        s.set("theme", "dark");
        for (const key of secretKeys) s.set(key, 1);
        s.delete("api_key");
        const cookie = await h.cookieFrom(await s.save());
        const events = (await h.reopen(cookie)).events;
        const text = JSON.stringify(events);
        for (const key of secretKeys) expect(text).not.toContain(key);
        expect(text).not.toContain("sk_live");
        expect(lines(events)).toContain("key_set: theme");
        const keyEvents = events.filter((e) => e.type === "key_set" || e.type === "key_deleted");
        // The four secret-looking keys share one placeholder, so their sets fold into one line.
        expect(keyEvents.map((e) => [e.type, e.count ?? 1])).toEqual([
          ["key_set", 1],
          ["key_set", 4],
          ["key_deleted", 1],
        ]);
        expect(keyEvents.filter((e) => e.detail !== "theme")).toHaveLength(2);
        for (const event of keyEvents) expect(event.detail).toBeTruthy();
      });

      serverSide("two concurrent saves on one row both append their events", async () => {
        const { cookie } = await h.stored({ base: 0 });
        const before = (await h.reopen(cookie)).events.length;
        const a = await h.reopen(cookie);
        const b = await h.reopen(cookie);
        a.set("fromA", 1);
        b.delete("base");
        await Promise.all([a.save(), b.save()]);
        const events = lines((await h.reopen(cookie)).events);
        expect(events).toHaveLength(before + 2);
        expect(events).toContain("key_set: fromA");
        expect(events).toContain("key_deleted: base");
      });
    });

    describe.skipIf(inCookie)("end reasons", () => {
      it("a session deleted with a reason rejects its cookie with that reason, and stays dead", async () => {
        const { session: original, cookie } = await h.stored({ a: 1 });
        await h.store.delete(original.tokenHash as string, "revoked");
        expect(await h.store.exists(original.tokenHash as string)).toBe(false);
        expect(await h.store.endReason(original.tokenHash as string)).toBe("revoked");

        const { session, rejected } = await h.open(cookie);
        expect(rejected).toBe("revoked");
        expect(session.isNew).toBe(true);
        expect(session.toJSON()).toEqual({});
        expect(await session.save()).toEqual({ kind: "clear" });

        // What the visitor does next goes into a new session under a new key.
        const next = (await h.open(cookie)).session;
        next.set("b", 2);
        const instruction = await next.save();
        expect(instruction.kind).toBe("set");
        expect(next.tokenHash).not.toBe(original.tokenHash);
        expect(await h.rejection(cookie)).toBe("revoked");
      });

      it("a session deleted without a reason is just unknown", async () => {
        const { session, cookie } = await h.stored();
        await h.store.delete(session.tokenHash as string);
        expect(await h.store.endReason(session.tokenHash as string)).toBeNull();
        expect(await h.rejection(cookie)).toBe("unknown");
      });

      it("a request that had the session open when it was revoked cannot bring it back", async () => {
        const { session: original, cookie } = await h.stored({ a: 1 });
        const s = await h.reopen(cookie);
        await h.store.delete(original.tokenHash as string, "revoked");
        s.set("b", 2);
        expect(await s.save()).toEqual({ kind: "clear" });
        expect(await h.store.exists(original.tokenHash as string)).toBe(false);
        expect(await h.rejection(cookie)).toBe("revoked");
      });

      it("deleteForUser ends all the user's sessions but one, with the reason given", async () => {
        const userId = await h.user("mia");
        const otherUser = await h.user("ned");
        const kept = await h.loggedIn(userId);
        const ended = [await h.loggedIn(userId), await h.loggedIn(userId, { persistent: true })];
        const other = await h.loggedIn(otherUser);

        const count = await h.store.deleteForUser(userId, {
          reason: "password_changed",
          exceptTokenHash: kept.session.tokenHash as string,
        });
        expect(count).toBe(2);
        for (const { cookie } of ended) expect(await h.rejection(cookie)).toBe("password_changed");
        expect(await h.rejection(kept.cookie)).toBeNull();
        expect(await h.rejection(other.cookie)).toBeNull();
      });

      it.skipIf(capabilities.expiresByTtl)(
        "a reason is forgotten once the session would have expired anyway",
        async () => {
          const { session, cookie } = await h.stored(); // expires at 30 min
          await h.store.delete(session.tokenHash as string, "revoked");

          h.advance(30 * MINUTE - 1);
          await h.store.clearExpired(h.now());
          expect(await h.rejection(cookie)).toBe("revoked");

          h.advance(1);
          expect(await h.store.clearExpired(h.now())).toBe(0); // tombstones are not sessions
          expect(await h.store.endReason(session.tokenHash as string)).toBeNull();
          expect(await h.rejection(cookie)).toBe("unknown");
        },
      );
    });

    describe.skipIf(inCookie)("a user's sessions", () => {
      it("listForUser gives only that user's live sessions, most recently seen first", async () => {
        const userId = await h.user("olga");
        const otherUser = await h.user("pete");
        const short = h.fresh(); // expires 5 minutes after T0
        await short.login(userId);
        short.setExpiry(5 * MINUTE);
        await short.save();
        h.advance(MINUTE);
        const older = await h.loggedIn(userId);
        h.advance(MINUTE);
        const newer = await h.loggedIn(userId);
        await h.loggedIn(otherUser);
        await h.stored({ anonymous: true });

        h.advance(4 * MINUTE); // 6 minutes in: `short` has expired but is still stored
        expect(await h.store.exists(short.tokenHash as string)).toBe(true);
        expect((await h.store.listForUser(userId, h.now())).map((r) => r.id)).toEqual([
          newer.session.id,
          older.session.id,
        ]);

        await (await h.reopen(older.cookie)).save(); // activity moves `older` to the front
        const listed = await h.store.listForUser(userId, h.now());
        expect(listed.map((r) => r.id)).toEqual([older.session.id, newer.session.id]);
        expect(listed.every((r) => r.userId === userId)).toBe(true);
        expect(await h.store.listForUser("nobody", h.now())).toEqual([]);
      });

      it("deleteForUser with the id of another user's session ends nothing", async () => {
        const userId = await h.user("quinn");
        const otherUser = await h.user("rosa");
        const mine = await h.loggedIn(userId);
        const theirs = await h.loggedIn(otherUser);

        expect(await h.store.deleteForUser(userId, { id: theirs.session.id as string, reason: "revoked" })).toBe(0);
        expect(await h.store.deleteForUser(userId, { id: "no-such-session", reason: "revoked" })).toBe(0);
        expect(await h.rejection(theirs.cookie)).toBeNull();
        expect(await h.rejection(mine.cookie)).toBeNull();

        expect(await h.store.deleteForUser(userId, { id: mine.session.id as string, reason: "revoked" })).toBe(1);
        expect(await h.rejection(mine.cookie)).toBe("revoked");
        expect(await h.rejection(theirs.cookie)).toBeNull();
      });
    });

    describe.skipIf(inCookie)("every session, as the admin sees it", () => {
      /** Three users' sessions and an anonymous one, a minute apart, plus one that has expired. */
      async function population() {
        const [ann, ben] = [await h.user("ann"), await h.user("ben")];
        const expired = h.fresh();
        await expired.login(ann);
        expired.setExpiry(MINUTE);
        await expired.save();
        h.advance(MINUTE);
        const annFirst = await h.loggedIn(ann);
        h.advance(MINUTE);
        const anonymous = await h.stored({ cart: [1] });
        h.advance(MINUTE);
        const benOnly = await h.loggedIn(ben);
        h.advance(MINUTE);
        const annSecond = await h.loggedIn(ann, { persistent: true });
        return { ann, ben, expired, annFirst, anonymous, benOnly, annSecond };
      }

      it("listLive gives every live session, anonymous ones too, newest first, and counts them", async () => {
        const p = await population();
        expect(await h.store.exists(p.expired.tokenHash as string)).toBe(true);
        const { records, total } = await h.store.listLive(h.now(), { offset: 0, limit: 10 });
        expect(total).toBe(4);
        expect(records.map((r) => r.id)).toEqual([
          p.annSecond.session.id,
          p.benOnly.session.id,
          p.anonymous.session.id,
          p.annFirst.session.id,
        ]);
        expect(records[2]).toMatchObject({ userId: null, data: { cart: [1] }, userAgent: "vitest" });
      });

      it("listLive pages without overlap, keeping the total, and an empty page past the end", async () => {
        const p = await population();
        const first = await h.store.listLive(h.now(), { offset: 0, limit: 3 });
        const second = await h.store.listLive(h.now(), { offset: 3, limit: 3 });
        expect(first.records.map((r) => r.id)).toEqual([
          p.annSecond.session.id,
          p.benOnly.session.id,
          p.anonymous.session.id,
        ]);
        expect(second.records.map((r) => r.id)).toEqual([p.annFirst.session.id]);
        expect([first.total, second.total]).toEqual([4, 4]);
        expect(await h.store.listLive(h.now(), { offset: 40, limit: 3 })).toEqual({ records: [], total: 4 });
      });

      it("listLive with user ids gives only those users' sessions; with none, nothing", async () => {
        const p = await population();
        const ann = await h.store.listLive(h.now(), { userIds: [p.ann], offset: 0, limit: 10 });
        expect(ann.records.map((r) => r.id)).toEqual([p.annSecond.session.id, p.annFirst.session.id]);
        expect(ann.total).toBe(2);
        const both = await h.store.listLive(h.now(), { userIds: [p.ben, p.ann], offset: 1, limit: 1 });
        expect(both).toMatchObject({ total: 3, records: [{ id: p.benOnly.session.id }] });
        expect(await h.store.listLive(h.now(), { userIds: [], offset: 0, limit: 10 })).toEqual({
          records: [],
          total: 0,
        });
      });

      it("findById opens a session by its public id, live or expired, and forgets an old id after a rotation", async () => {
        const p = await population();
        expect(await h.store.findById(p.anonymous.session.id as string)).toMatchObject({
          tokenHash: p.anonymous.session.tokenHash,
          data: { cart: [1] },
        });
        expect((await h.store.findById(p.expired.id as string))?.userId).toBe(p.ann);
        expect(await h.store.findById("no-such-session")).toBeNull();

        const oldId = p.anonymous.session.id as string;
        const reopened = await h.reopen(p.anonymous.cookie);
        await reopened.cycleKey();
        await reopened.save();
        expect(await h.store.findById(oldId)).toBeNull();
        expect((await h.store.findById(reopened.id as string))?.data).toEqual({ cart: [1] });
      });

      it("a session the admin ends rejects its cookie as ended by an administrator", async () => {
        const p = await population();
        const found = await h.store.findById(p.benOnly.session.id as string);
        await h.store.delete(found?.tokenHash as string, "ended_by_admin");
        expect(await h.rejection(p.benOnly.cookie)).toBe("ended_by_admin");
        expect((await h.store.listLive(h.now(), { offset: 0, limit: 10 })).total).toBe(3);
      });
    });

    describe.skipIf(inCookie)("session management", () => {
      const CHROME_ON_WINDOWS =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

      /** A user with a current session (the oldest) and two others; the current one is reopened. */
      async function threeSessions(name: string) {
        const userId = await h.user(name);
        const current = await h.loggedIn(userId);
        h.advance(MINUTE);
        h.ctx.userAgent = CHROME_ON_WINDOWS;
        const others = [await h.loggedIn(userId), await h.loggedIn(userId)];
        h.ctx.userAgent = "vitest";
        h.advance(MINUTE);
        return { userId, current, others, session: await h.reopen(current.cookie) };
      }

      it("listUserSessions marks exactly the current session, first, and shows no token or hash", async () => {
        const { current, others, session } = await threeSessions("sam");
        const list = await listUserSessions(session, h.now());
        expect(list).toHaveLength(3);
        expect(list.filter((summary) => summary.current).map((summary) => summary.id)).toEqual([current.session.id]);
        expect(list[0]?.id).toBe(current.session.id);
        expect(list.map((summary) => summary.id).sort()).toEqual([current, ...others].map((o) => o.session.id).sort());
        expect(list.slice(1).map((summary) => summary.device)).toEqual([
          "Chrome 120 on Windows 10",
          "Chrome 120 on Windows 10",
        ]);
        expect(list[0]?.device).toBe(describeDevice("vitest"));

        const json = JSON.stringify(list);
        for (const { session: s, token } of [current, ...others]) {
          expect(json).not.toContain(token);
          expect(json).not.toContain(s.tokenHash as string);
        }
        expect(await listUserSessions(h.fresh(), h.now())).toEqual([]);
      });

      it("revokeUserSession refuses another user's session and a missing one alike", async () => {
        const { session } = await threeSessions("tess");
        const stranger = await h.loggedIn(await h.user("uma"));
        expect(await revokeUserSession(session, stranger.session.id as string)).toBe(false);
        expect(await revokeUserSession(session, "no-such-session")).toBe(false);
        expect(await h.rejection(stranger.cookie)).toBeNull();
        expect(session.events.some((e) => e.type === "revoked")).toBe(false);
      });

      it("revokeUserSession ends one of the user's other sessions and notes it in the current one", async () => {
        const { current, others, session } = await threeSessions("vera");
        const [target, untouched] = others as [(typeof others)[0], (typeof others)[0]];
        expect(await revokeUserSession(session, target.session.id as string)).toBe(true);
        expect(await h.rejection(target.cookie)).toBe("revoked");
        expect(await h.rejection(untouched.cookie)).toBeNull();

        expect(session.events.at(-1)?.type).toBe("revoked");
        await session.save();
        const reloaded = await h.reopen(current.cookie);
        expect(reloaded.events.map((e) => e.type)).toContain("revoked");
        expect(JSON.stringify(reloaded.events)).not.toContain(target.token);
      });

      it("revokeUserSession on the current session's id logs it out", async () => {
        const { current, others, session } = await threeSessions("wade");
        expect(await revokeUserSession(session, current.session.id as string)).toBe(true);
        expect(session.isNew).toBe(true);
        expect(session.userId).toBeNull();
        expect(await session.save()).toEqual({ kind: "clear" });
        expect(await h.store.exists(current.session.tokenHash as string)).toBe(false);
        expect(await h.rejection(current.cookie)).not.toBeNull();
        for (const { cookie } of others) expect(await h.rejection(cookie)).toBeNull();
      });

      it("revokeOtherSessions keeps only the current session", async () => {
        const { userId, current, others, session } = await threeSessions("xena");
        const bystander = await h.loggedIn(await h.user("yuri"));
        expect(await revokeOtherSessions(session)).toBe(2);
        for (const { cookie } of others) expect(await h.rejection(cookie)).toBe("revoked");
        expect((await h.store.listForUser(userId, h.now())).map((r) => r.id)).toEqual([current.session.id]);
        expect(await h.rejection(bystander.cookie)).toBeNull();
        expect(session.events.at(-1)?.type).toBe("revoked");
        await session.save();
        expect(await h.rejection(current.cookie)).toBeNull();
      });

      it("revokeAllSessions ends every session of the user, the current one included", async () => {
        const { userId, current, others, session } = await threeSessions("zoe");
        const bystander = await h.loggedIn(await h.user("abe"));
        expect(await revokeAllSessions(session)).toBe(3);
        for (const { cookie } of others) expect(await h.rejection(cookie)).toBe("logged_out_everywhere");
        expect(await h.store.listForUser(userId, h.now())).toEqual([]);
        expect(session.isNew).toBe(true);
        expect(session.userId).toBeNull();
        expect(await session.save()).toEqual({ kind: "clear" });
        expect(await h.rejection(current.cookie)).not.toBeNull();
        expect(await h.rejection(bystander.cookie)).toBeNull();
      });
    });

    describe("corrupt stored data", () => {
      it("loads as an empty session, is logged, and never throws", async ({ skip }) => {
        if (!fixture.corruptData) return skip();
        const { session, cookie } = await h.stored({ a: 1 });
        await fixture.corruptData(session.tokenHash as string);

        const record = await h.store.load(session.tokenHash as string);
        expect(record?.data).toEqual({});
        const s = await h.reopen(cookie);
        expect(s.toJSON()).toEqual({});
        if (fixture.logged) {
          expect(fixture.logged.length).toBeGreaterThan(0);
          expect(fixture.logged.join("\n")).toContain(session.id as string);
        }

        // The session keeps working: the next save replaces the garbage.
        s.set("fresh", true);
        await s.save();
        expect((await h.reopen(cookie)).toJSON()).toEqual({ fresh: true });
      });
    });

    describe("size and value limits", () => {
      /** A JSON document of exactly `bytes` bytes: {"big":"xxx…"}. */
      const bigString = (bytes: number) => "x".repeat(bytes - '{"big":""}'.length);

      it.runIf(inCookie)("refuses, with a clear error, data that would not fit in a 4096-byte cookie", async () => {
        const s = h.fresh();
        s.set("fits", "x".repeat(1500));
        const cookie = await h.cookieFrom(await s.save());
        expect(Buffer.byteLength(`sesame_session=${cookie}`)).toBeLessThanOrEqual(4096);
        const t = await h.reopen(cookie);
        expect(() => t.set("big", "x".repeat(3000))).toThrow(SessionValueError);
        expect(() => t.set("big", "x".repeat(3000))).toThrow(/4096 bytes per cookie/);
        expect(t.toJSON()).toEqual({ fits: "x".repeat(1500) });
        expect(t.modified).toBe(false);
      });

      it.skipIf(inCookie)("accepts data of exactly 64 KiB and refuses one byte more", async () => {
        const s = h.fresh();
        expect(() => s.set("big", bigString(MAX_DATA_BYTES + 1))).toThrow(SessionValueError);
        expect(s.isEmpty).toBe(true);
        s.set("big", bigString(MAX_DATA_BYTES));
        const cookie = await h.cookieFrom(await s.save());
        expect((await h.reopen(cookie)).get("big")).toBe(bigString(MAX_DATA_BYTES));
      });

      it("refuses a value that takes the data past 64 KiB and leaves the session unchanged", async () => {
        const { cookie } = await h.stored({ keep: "me" });
        const s = await h.reopen(cookie);
        expect(() => s.set("big", "x".repeat(MAX_DATA_BYTES))).toThrow(SessionValueError);
        expect(() => s.set("big", "x".repeat(MAX_DATA_BYTES))).toThrow(/65536/);
        expect(s.toJSON()).toEqual({ keep: "me" });
        expect(s.modified).toBe(false);
        expect(await s.save()).toEqual({ kind: "none" });
        expect((await h.reopen(cookie)).toJSON()).toEqual({ keep: "me" });
      });

      it("counts bytes, not characters", () => {
        const s = h.fresh();
        const twoByteChars = "é".repeat(MAX_DATA_BYTES / 2);
        expect(twoByteChars.length).toBeLessThan(MAX_DATA_BYTES);
        expect(() => s.set("k", twoByteChars)).toThrow(SessionValueError);
        expect(s.isEmpty).toBe(true);
      });

      it("refuses empty keys and keys over 128 characters", () => {
        const s = h.fresh();
        expect(() => s.set("", 1)).toThrow(SessionValueError);
        expect(() => s.set("k".repeat(129), 1)).toThrow(SessionValueError);
        expect(() => s.set("k".repeat(129), 1)).toThrow(/128/);
        s.set("k".repeat(128), 1);
        expect(s.keys()).toEqual(["k".repeat(128)]);
      });

      it('refuses the key "__proto__", which a plain object cannot hold as data', () => {
        const s = h.fresh();
        expect(() => s.set("__proto__", { polluted: true })).toThrow(SessionValueError);
        expect(() => s.setDefault("__proto__", { polluted: true })).toThrow(SessionValueError);
        expect(s.keys()).toEqual([]);
        expect(s.modified).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it.each(nonJsonValues())("refuses %s with SessionValueError", (_label, value) => {
        const s = h.fresh();
        s.set("kept", 1);
        expect(() => s.set("bad", value)).toThrow(SessionValueError);
        expect(s.toJSON()).toEqual({ kept: 1 });
        expect(s.has("bad")).toBe(false);
      });
    });
  });
}
