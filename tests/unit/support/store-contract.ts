import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTokenSealer, type TokenSealer } from "@/lib/session/cookie";
import { SessionKeyError, SessionValueError } from "@/lib/session/errors";
import type { ExpiryPolicy } from "@/lib/session/expiry";
import { MAX_DATA_BYTES } from "@/lib/session/json";
import { openSession, type OpenedSession } from "@/lib/session/manager";
import { Session, type CookieInstruction, type SessionContext } from "@/lib/session/session";
import type { SessionStore } from "@/lib/session/store";
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

/** Everything one test needs: a context with a hand-driven clock, a sealer, and shortcuts. */
function harness(fixture: StoreFixture) {
  let nowMs = T0.getTime();
  const ctx: SessionContext = {
    store: fixture.store,
    policy: CONTRACT_POLICY,
    now: () => new Date(nowMs),
    userAgent: "vitest",
    ip: "203.0.113.7",
  };
  const sealer: TokenSealer = createTokenSealer([SECRET]);

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
      if (instruction.kind !== "set") throw new Error(`Expected a "set" cookie instruction, got "${instruction.kind}".`);
      return sealer.seal(instruction.token);
    },
    open: (cookie: string | undefined): Promise<OpenedSession> => openSession(ctx, sealer, cookie),
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
    ["a class instance", new (class Point { x = 1 })()],
    ["undefined nested in an array", { list: [1, undefined] }],
    ["a function nested in an object", { deep: { fn: () => 1 } }],
  ];
}

/**
 * The behaviour every session store must share, as Django's SessionTestsMixin: driven through
 * the Session class and openSession, and through the store itself.
 */
export function describeSessionStore(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`session store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let h: Harness;

    beforeEach(async () => {
      fixture = await makeStore();
      h = harness(fixture);
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
      it("two sessions on one row changing different keys both survive", async () => {
        const { cookie } = await h.stored({ base: 0 });
        const a = await h.reopen(cookie);
        const b = await h.reopen(cookie);
        a.set("fromA", 1);
        b.set("fromB", 2);
        await a.save();
        await b.save();
        expect((await h.reopen(cookie)).toJSON()).toEqual({ base: 0, fromA: 1, fromB: 2 });
      });

      it("a delete in one session and a set in another both survive", async () => {
        const { cookie } = await h.stored({ doomed: 1, kept: 2 });
        const a = await h.reopen(cookie);
        const b = await h.reopen(cookie);
        a.delete("doomed");
        b.set("added", 3);
        await Promise.all([a.save(), b.save()]);
        expect((await h.reopen(cookie)).toJSON()).toEqual({ kept: 2, added: 3 });
      });

      it("50 sessions on one row, each setting its own key and saved together, lose nothing", async () => {
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
        expect((await h.open(cookie)).rejected).toBe("unknown");
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
        const old = await h.open(oldCookie);
        expect(old.rejected).toBe("unknown");
        expect(old.session.isNew).toBe(true);
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
    });

    describe("login", () => {
      it("keeps the anonymous data on a fresh login and rotates the key", async () => {
        const userId = await h.user("alice");
        const { cookie: anonymousCookie } = await h.stored({ cart: ["book"] });
        h.advance(5); // the login form is a later request than the visit that filled the cart
        const s = await h.reopen(anonymousCookie);
        const anonymousHash = s.tokenHash;
        await s.login(userId);
        expect(s.userId).toBe(userId);
        expect(s.tokenHash).not.toBe(anonymousHash);

        const cookie = await h.cookieFrom(await s.save());
        const reloaded = await h.reopen(cookie);
        expect(reloaded.userId).toBe(userId);
        expect(reloaded.toJSON()).toEqual({ cart: ["book"] });
        expect((await h.open(anonymousCookie)).rejected).toBe("unknown");
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
        await s.save();
        const before = s.tokenHash;
        h.advance(5);
        await s.login(userId);
        const cookie = await h.cookieFrom(await s.save());
        expect(s.tokenHash).not.toBe(before);
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
        expect((await h.open(firstCookie)).rejected).toBe("unknown");
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
      it("removes only the expired rows and returns how many", async () => {
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

      it("accepts data of exactly 64 KiB and refuses one byte more", async () => {
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
