import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setAuditSink } from "@/lib/auth/audit";
import { changePassword, confirmPassword, deleteAccount, logIn, logOut, registerAndLogIn } from "@/lib/auth/flows";
import {
  credentialsSchema,
  emailSchema,
  loginSchema,
  newPasswordSchema,
  registerFormSchema,
  utf8Length,
} from "@/lib/auth/schemas";
import { PasswordPoolBusyError } from "@/lib/auth/password";
import { AuthRateLimiter, type RateLimitPolicy } from "@/lib/auth/rate-limit";
import { authenticate, findUser, registerUser } from "@/lib/auth/users";
import { DbSessionStore } from "@/lib/session/backends/db";
import { createTokenSealer } from "@/lib/session/sealer";
import { openSession } from "@/lib/session/open-session";
import { Session, type SessionContext } from "@/lib/session/session";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { CONTRACT_POLICY, TEST_SEALER } from "./support/store-contract";

/** The lowest cost the configuration allows: real bcrypt, but quick. */
const COST = 10;

const TEST_LIMITS: RateLimitPolicy = {
  loginFailuresPerAccountAndIp: { points: 10, seconds: 900 },
  loginFailuresPerAccount: { points: 100, seconds: 3600 },
  loginFailuresPerIp: { points: 100, seconds: 900 },
  registrationsPerIp: { points: 10, seconds: 3600 },
  newSessionsPerIp: { points: 600, seconds: 3600 },
};

describe("emailSchema", () => {
  it("trims and lower-cases", () => {
    expect(emailSchema.parse("  Alice.Smith@Example.COM \n")).toBe("alice.smith@example.com");
  });

  it.each([
    "",
    "   ",
    "alice",
    "alice@",
    "@example.com",
    "alice@@example.com",
    "alice example@x.com",
    `${"a".repeat(250)}@x.com`,
  ])("refuses %j", (email) => {
    expect(emailSchema.safeParse(email).success).toBe(false);
  });

  it("refuses a non-string", () => {
    expect(emailSchema.safeParse(undefined).success).toBe(false);
    expect(emailSchema.safeParse(42).success).toBe(false);
  });
});

describe("newPasswordSchema", () => {
  const accepts = (password: string) => newPasswordSchema.safeParse(password).success;

  it("needs at least 8 characters", () => {
    // Not "12345678": that one is also among the most common passwords, refused for that reason.
    expect(accepts("lantern")).toBe(false);
    expect(accepts("lantern8")).toBe(true);
  });

  it("counts code points, not UTF-16 units, for the minimum", () => {
    const sevenEmoji = "😀".repeat(7); // 14 UTF-16 units, 7 characters
    expect(sevenEmoji.length).toBe(14);
    expect(accepts(sevenEmoji)).toBe(false);
  });

  it("accepts exactly 72 UTF-8 bytes and refuses 73", () => {
    expect(accepts("a".repeat(72))).toBe(true);
    expect(accepts("a".repeat(73))).toBe(false);
    expect(accepts(`${"a".repeat(70)}é`)).toBe(true); // 72 bytes
    expect(accepts(`${"a".repeat(71)}é`)).toBe(false); // 73 bytes
  });

  it("refuses 19 four-byte emoji (76 bytes) although they are only 19 characters", () => {
    const password = "😀".repeat(19);
    expect([...password]).toHaveLength(19);
    expect(utf8Length(password)).toBe(76);
    expect(accepts(password)).toBe(false);
    expect(accepts("😀".repeat(18))).toBe(true); // 72 bytes
  });

  it("has no composition rules", () => {
    expect(accepts("correct horse battery staple")).toBe(true);
    expect(accepts("aaaaaaaa")).toBe(true);
  });

  it("explains the byte limit", () => {
    const result = newPasswordSchema.safeParse("a".repeat(73));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/72 bytes/);
  });
});

describe("registerFormSchema", () => {
  it("accepts matching passwords and normalises the email", () => {
    const result = registerFormSchema.parse({
      email: " New@Example.com ",
      password: "long enough",
      confirmPassword: "long enough",
    });
    expect(result.email).toBe("new@example.com");
  });

  it("refuses a mismatched confirmation, on the confirmPassword field", () => {
    const result = registerFormSchema.safeParse({
      email: "new@example.com",
      password: "long enough",
      confirmPassword: "long enougH",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.path).toEqual(["confirmPassword"]);
  });
});

describe("loginSchema", () => {
  it("defaults remember to false and applies no password rules beyond non-empty", () => {
    expect(loginSchema.parse({ email: "A@B.co", password: "x" })).toEqual({
      email: "a@b.co",
      password: "x",
      remember: false,
    });
    expect(loginSchema.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
  });
});

describe("users", () => {
  let test: TestDatabase;
  const credentials = (email: string, password = "correct horse battery") =>
    credentialsSchema.parse({ email, password });

  beforeEach(async () => {
    test = await createTestDatabase();
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("registerUser stores a bcrypt hash, never the password", async () => {
    const result = await registerUser(test.db, credentials("alice@example.com"), COST);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.email).toBe("alice@example.com");
    expect(Object.keys(result.user).sort()).toEqual(["createdAt", "email", "id", "isSuperuser"]);
    expect(result.user.isSuperuser).toBe(false);

    const row = await test.db.user.findUniqueOrThrow({ where: { id: result.user.id } });
    expect(row.passwordHash).toMatch(/^\$2b\$10\$/);
    expect(row.passwordHash).not.toContain("correct horse battery");
    expect(await findUser(test.db, result.user.id)).toEqual(result.user);
  });

  it("a second registration of the same email, in another case and with spaces, is refused", async () => {
    expect((await registerUser(test.db, credentials("alice@example.com"), COST)).ok).toBe(true);
    const again = await registerUser(test.db, credentials("  ALICE@Example.com "), COST);
    expect(again).toEqual({ ok: false, reason: "email_taken" });
    expect(await test.db.user.count()).toBe(1);
  });

  it("five parallel registrations of one email give exactly one account", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        registerUser(test.db, credentials("race@example.com", `password-${i}`), COST),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    for (const result of results.filter((r) => !r.ok)) expect(result).toEqual({ ok: false, reason: "email_taken" });
    expect(await test.db.user.count({ where: { email: "race@example.com" } })).toBe(1);
  });

  it("authenticate accepts the right password", async () => {
    const registered = await registerUser(test.db, credentials("bob@example.com"), COST);
    if (!registered.ok) throw new Error("registration failed");
    const result = await authenticate(test.db, { email: "bob@example.com", password: "correct horse battery" }, COST);
    expect(result).toEqual({ ok: true, user: registered.user });
  });

  it("authenticate fails the same way for a wrong password and an unknown email", async () => {
    await registerUser(test.db, credentials("bob@example.com"), COST);
    const wrongPassword = await authenticate(
      test.db,
      { email: "bob@example.com", password: "correct horse batterY" },
      COST,
    );
    const unknownEmail = await authenticate(
      test.db,
      { email: "nobody@example.com", password: "correct horse battery" },
      COST,
    );
    expect(wrongPassword).toEqual({ ok: false });
    expect(unknownEmail).toEqual({ ok: false });
    expect(Object.keys(wrongPassword)).toEqual(Object.keys(unknownEmail));
  });
});

describe("flows", () => {
  let test: TestDatabase;
  let ctx: SessionContext;

  beforeEach(async () => {
    test = await createTestDatabase();
    const now = new Date("2030-01-01T00:00:00.000Z");
    ctx = {
      store: new DbSessionStore(test.sqlite, () => undefined),
      sealer: TEST_SEALER,
      policy: CONTRACT_POLICY,
      now: () => now,
      userAgent: null,
      ip: null,
    };
    await registerUser(
      test.db,
      credentialsSchema.parse({ email: "carol@example.com", password: "correct horse battery" }),
      COST,
    );
  });

  afterEach(async () => {
    await test.cleanup();
  });

  async function anonymousSession(): Promise<Session> {
    const session = Session.create(ctx);
    session.set("cart", ["book"]);
    await session.save();
    return session;
  }

  it("logIn rotates the session key, sets the user and keeps the data", async () => {
    const session = await anonymousSession();
    const before = session.tokenHash as string;
    const result = await logIn(
      test.db,
      session,
      loginSchema.parse({ email: "carol@example.com", password: "correct horse battery" }),
      COST,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(session.userId).toBe(result.user.id);
    expect(session.tokenHash).not.toBe(before);
    expect(await ctx.store.exists(before)).toBe(false);
    await session.save();
    const row = await ctx.store.load(session.tokenHash as string);
    expect(row?.userId).toBe(result.user.id);
    expect(row?.data).toEqual({ cart: ["book"] });
    expect(row?.persistent).toBe(false);
  });

  it("logIn with remember makes the session persistent", async () => {
    const session = await anonymousSession();
    const input = loginSchema.parse({ email: "carol@example.com", password: "correct horse battery", remember: true });
    expect((await logIn(test.db, session, input, COST)).ok).toBe(true);
    expect(session.expiresAtBrowserClose).toBe(false);
    expect(session.idleSeconds).toBe(CONTRACT_POLICY.rememberIdleSeconds);
  });

  it("a failed logIn leaves the session as it was", async () => {
    const session = await anonymousSession();
    const before = session.tokenHash;
    const result = await logIn(
      test.db,
      session,
      loginSchema.parse({ email: "carol@example.com", password: "wrong password" }),
      COST,
    );
    expect(result).toEqual({ ok: false });
    expect(session.tokenHash).toBe(before);
    expect(session.userId).toBeNull();
  });

  it("checks at most the budget of 40 parallel wrong guesses: the rest are refused before bcrypt", async () => {
    const limiter = new AuthRateLimiter(test.sqlite, TEST_LIMITS);
    const guard = { limiter, ip: "203.0.113.40" };
    const input = (i: number) => loginSchema.parse({ email: "carol@example.com", password: `wrong guess ${i}` });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => logIn(test.db, Session.create(ctx), input(i), COST, guard)),
    );
    // A plain { ok: false } is a password bcrypt checked; a rate-limited one never reached it.
    expect(results.filter((r) => !r.ok && !("reason" in r))).toHaveLength(
      TEST_LIMITS.loginFailuresPerAccountAndIp.points,
    );
    expect(results.filter((r) => !r.ok && "reason" in r && r.reason === "rate_limited")).toHaveLength(30);
    // The owner, from another address, still logs in.
    const owner = await logIn(
      test.db,
      Session.create(ctx),
      loginSchema.parse({ email: "carol@example.com", password: "correct horse battery" }),
      COST,
      {
        limiter,
        ip: "198.51.100.41",
      },
    );
    expect(owner.ok).toBe(true);
  });

  it("refuses the right 72 bytes with anything after them, as a wrong password", async () => {
    const password = "p".repeat(72);
    await registerUser(test.db, credentialsSchema.parse({ email: "max@example.com", password }), COST);
    const login = (pw: string) =>
      logIn(test.db, Session.create(ctx), loginSchema.parse({ email: "max@example.com", password: pw }), COST);
    expect(await login(`${password}anything`)).toEqual({ ok: false });
    expect(await login(`${password}é`)).toEqual({ ok: false });
    expect((await login(password)).ok).toBe(true);
  });

  it("gives the point back when the password pool is full, and says it is busy", async () => {
    const limiter = new AuthRateLimiter(test.sqlite, {
      ...TEST_LIMITS,
      loginFailuresPerAccountAndIp: { points: 1, seconds: 900 },
    });
    const guard = { limiter, ip: "203.0.113.50" };
    const busyDb = {
      user: {
        findUnique: async () => {
          throw new PasswordPoolBusyError(3);
        },
      },
    } as unknown as typeof test.db;
    const input = loginSchema.parse({ email: "carol@example.com", password: "correct horse battery" });
    for (let i = 0; i < 3; i++) {
      expect(await logIn(busyDb, Session.create(ctx), input, COST, guard)).toEqual({
        ok: false,
        reason: "busy",
        retryAfterSeconds: 3,
      });
    }
    // Nothing was checked, so nothing was counted: the one allowed attempt is still there.
    expect((await logIn(test.db, Session.create(ctx), input, COST, guard)).ok).toBe(true);
  });

  it("stores no new session when the context refuses it, and says how long to wait", async () => {
    const refusing: SessionContext = { ...ctx, admitNewSession: async () => ({ ok: false, retryAfterSeconds: 120 }) };
    const session = Session.create(refusing);
    session.set("flood", "x");
    await expect(session.save()).rejects.toMatchObject({ name: "TooManySessionsError", retryAfterSeconds: 120 });
    expect(session.isNew).toBe(true);
    // An existing session is not a new one: its writes are never refused.
    const existing = await anonymousSession();
    const reopened = Session.fromRecord(
      refusing,
      "unused-token",
      (await ctx.store.load(existing.tokenHash as string))!,
    );
    reopened.set("more", 1);
    await expect(reopened.save()).resolves.toMatchObject({ kind: "none" });
  });

  it("registerAndLogIn creates the account and logs it in", async () => {
    const session = await anonymousSession();
    const result = await registerAndLogIn(
      test.db,
      session,
      credentialsSchema.parse({ email: "dan@example.com", password: "another passphrase" }),
      COST,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(session.userId).toBe(result.user.id);
  });

  it("logOut deletes the row", async () => {
    const session = await anonymousSession();
    const hash = session.tokenHash as string;
    await logOut(session);
    expect(await ctx.store.exists(hash)).toBe(false);
    expect(session.userId).toBeNull();
    expect(session.isEmpty).toBe(true);
  });
});

describe("re-authenticated flows: changePassword, deleteAccount and confirmPassword", () => {
  const OLD_PASSWORD = "correct horse battery";
  const NEW_PASSWORD = "a new passphrase";
  const T0 = new Date("2030-01-01T00:00:00.000Z");
  const sealer = createTokenSealer(["flows-suite-secret-0123456789abcdefghijkl"]);
  let test: TestDatabase;
  let store: DbSessionStore;
  let ctx: SessionContext;
  /** The sessions' clock: tests move it to step past sudo mode's window. */
  let now: Date;
  let audited: string[];
  let restoreAudit: (line: string) => void;

  beforeEach(async () => {
    test = await createTestDatabase();
    store = new DbSessionStore(test.sqlite, () => undefined);
    now = T0;
    ctx = { store, sealer, policy: CONTRACT_POLICY, now: () => now, userAgent: null, ip: null };
    audited = [];
    restoreAudit = setAuditSink((line) => audited.push(line));
  });

  afterEach(async () => {
    setAuditSink(restoreAudit);
    await test.cleanup();
  });

  async function register(email: string): Promise<string> {
    const result = await registerUser(test.db, credentialsSchema.parse({ email, password: OLD_PASSWORD }), COST);
    if (!result.ok) throw new Error("registration failed");
    return result.user.id;
  }

  /** A saved, logged-in session of `userId` and the cookie that opens it. */
  async function signedIn(userId: string): Promise<{ session: Session; cookie: string }> {
    const session = Session.create(ctx);
    session.set("cart", ["book"]);
    await session.login(userId);
    const instruction = await session.save();
    if (instruction.kind !== "set") throw new Error("expected a cookie");
    return { session, cookie: await sealer.seal(instruction.token) };
  }

  const rejection = async (cookie: string) => (await openSession(ctx, cookie)).rejected;

  /** A user with the session in hand and two more, plus another user with one session. */
  async function scene() {
    const userId = await register("erin@example.com");
    const strangerId = await register("finn@example.com");
    const current = await signedIn(userId);
    const others = [await signedIn(userId), await signedIn(userId)];
    const stranger = await signedIn(strangerId);
    return { userId, strangerId, current, others, stranger };
  }

  const passwordHashOf = async (userId: string) =>
    (await test.db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash;

  describe("changePassword", () => {
    it("with a wrong current password changes nothing", async () => {
      const { userId, current, others } = await scene();
      const hashBefore = await passwordHashOf(userId);
      const tokenHashBefore = current.session.tokenHash;

      const result = await changePassword(
        test.db,
        current.session,
        { currentPassword: "not my password", newPassword: NEW_PASSWORD },
        COST,
      );
      expect(result).toEqual({ ok: false, reason: "wrong_password" });
      expect(await passwordHashOf(userId)).toBe(hashBefore);
      expect(current.session.tokenHash).toBe(tokenHashBefore);
      for (const { cookie } of [current, ...others]) expect(await rejection(cookie)).toBeNull();
      expect((await authenticate(test.db, { email: "erin@example.com", password: OLD_PASSWORD }, COST)).ok).toBe(true);
    });

    it("stores the new password, gives this session a new key and ends the user's other sessions", async () => {
      const { userId, current, others, stranger } = await scene();
      const tokenHashBefore = current.session.tokenHash;

      const result = await changePassword(
        test.db,
        current.session,
        { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD },
        COST,
      );
      expect(result).toEqual({ ok: true });
      expect((await authenticate(test.db, { email: "erin@example.com", password: NEW_PASSWORD }, COST)).ok).toBe(true);
      expect(await authenticate(test.db, { email: "erin@example.com", password: OLD_PASSWORD }, COST)).toEqual({
        ok: false,
      });

      expect(current.session.tokenHash).not.toBe(tokenHashBefore);
      expect(current.session.userId).toBe(userId);
      const instruction = await current.session.save();
      expect(instruction.kind).toBe("set");
      if (instruction.kind !== "set") return;
      const reopened = await openSession(ctx, await sealer.seal(instruction.token));
      expect(reopened.rejected).toBeNull();
      expect(reopened.session.userId).toBe(userId);
      expect(reopened.session.toJSON()).toEqual({ cart: ["book"] });

      for (const { cookie } of others) expect(await rejection(cookie)).toBe("password_changed");
      expect(await rejection(stranger.cookie)).toBeNull();

      const log = audited.join("\n");
      expect(log).toContain("password.changed");
      expect(log).not.toContain(NEW_PASSWORD);
      expect(log).not.toContain(OLD_PASSWORD);
    });

    it("counts as a password confirmation: sudo mode starts again from the change", async () => {
      const { current } = await scene();
      now = new Date(T0.getTime() + 20 * 60_000);
      const result = await changePassword(
        test.db,
        current.session,
        { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD },
        COST,
      );
      expect(result).toEqual({ ok: true });
      expect(current.session.passwordConfirmedAt).toEqual(now);
      await current.session.save();
      expect((await store.load(current.session.tokenHash as string))?.passwordConfirmedAt).toEqual(now);
    });
  });

  describe("confirmPassword", () => {
    /** Past the default window of 10 minutes, inside the contract's idle timeout of 30. */
    const later = (): Date => new Date(T0.getTime() + 20 * 60_000);

    it("with the right password renews the window from the session's clock and rotates the key", async () => {
      const { userId, current, others } = await scene();
      now = later();
      const tokenHashBefore = current.session.tokenHash;

      expect(await confirmPassword(test.db, current.session, OLD_PASSWORD)).toEqual({ ok: true, confirmedAt: now });
      expect(current.session.passwordConfirmedAt).toEqual(now);
      // A re-authentication gets a new token and ends the old one (ASVS 7.2.4).
      expect(current.session.tokenHash).not.toBe(tokenHashBefore);
      const instruction = await current.session.save();
      if (instruction.kind !== "set") throw new Error("expected a new cookie");
      const reopened = await openSession(ctx, await sealer.seal(instruction.token));
      expect(reopened.session.userId).toBe(userId);
      expect(reopened.session.passwordConfirmedAt).toEqual(now);
      expect(reopened.session.toJSON()).toEqual({ cart: ["book"] });
      expect(await rejection(current.cookie)).toBe("unknown");
      // Only this session is confirmed: the user's others keep their own time.
      const other = await openSession(ctx, others[0]?.cookie);
      expect(other.session.passwordConfirmedAt).toEqual(T0);

      const log = audited.join("\n");
      expect(log).toContain('"event":"password.confirmed"');
      expect(log).not.toContain(OLD_PASSWORD);
    });

    it("with a wrong password changes nothing and is logged", async () => {
      const { current } = await scene();
      now = later();
      const tokenHashBefore = current.session.tokenHash;
      expect(await confirmPassword(test.db, current.session, "not my password")).toEqual({
        ok: false,
        reason: "wrong_password",
      });
      expect(current.session.passwordConfirmedAt).toEqual(T0);
      expect(current.session.tokenHash).toBe(tokenHashBefore);
      expect(await rejection(current.cookie)).toBeNull();
      expect(audited.join("\n")).toContain('"event":"password.confirm_failed"');
    });

    it("needs a logged-in session", async () => {
      const session = Session.create(ctx);
      session.set("cart", ["book"]);
      await session.save();
      expect(await confirmPassword(test.db, session, OLD_PASSWORD)).toEqual({ ok: false, reason: "not_logged_in" });
      expect(session.passwordConfirmedAt).toBeNull();
    });

    it("spends the login budgets of the user and the address: guesses stop at the limit, the owner elsewhere goes on", async () => {
      const limiter = new AuthRateLimiter(test.sqlite, TEST_LIMITS);
      const { current, others } = await scene();
      const guesser = { limiter, ip: "203.0.113.50" };
      const results = await Promise.all(
        Array.from({ length: 15 }, (_, i) => confirmPassword(test.db, current.session, `wrong guess ${i}`, guesser)),
      );
      const reasons = results.map((result) => (result.ok ? "ok" : result.reason));
      expect(reasons.filter((reason) => reason === "wrong_password")).toHaveLength(
        TEST_LIMITS.loginFailuresPerAccountAndIp.points,
      );
      expect(reasons.filter((reason) => reason === "rate_limited")).toHaveLength(5);
      // The right password from the guessing address waits too: the limit is checked before bcrypt.
      const blocked = await confirmPassword(test.db, current.session, OLD_PASSWORD, guesser);
      expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
      if (!blocked.ok && blocked.reason === "rate_limited") expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
      // From another address the owner still confirms.
      const owner = await openSession(ctx, others[0]?.cookie);
      const elsewhere = await confirmPassword(test.db, owner.session, OLD_PASSWORD, { limiter, ip: "198.51.100.51" });
      expect(elsewhere.ok).toBe(true);
    });
  });

  describe("deleteAccount", () => {
    it("with a wrong password deletes nothing", async () => {
      const { userId, current, others } = await scene();
      expect(await deleteAccount(test.db, current.session, "not my password")).toEqual({
        ok: false,
        reason: "wrong_password",
      });
      expect(await test.db.user.findUnique({ where: { id: userId } })).not.toBeNull();
      expect(current.session.userId).toBe(userId);
      for (const { cookie } of [current, ...others]) expect(await rejection(cookie)).toBeNull();
    });

    it("refuses the right 72 bytes with a suffix, as a wrong password", async () => {
      const password = "q".repeat(72);
      const created = await registerUser(
        test.db,
        credentialsSchema.parse({ email: "long@example.com", password }),
        COST,
      );
      if (!created.ok) throw new Error("registration failed");
      const { session } = await signedIn(created.user.id);
      expect(await deleteAccount(test.db, session, `${password}!`)).toEqual({ ok: false, reason: "wrong_password" });
      expect(await test.db.user.findUnique({ where: { id: created.user.id } })).not.toBeNull();
    });

    it("with the right password deletes the user, all their sessions, and flushes this one", async () => {
      const { userId, strangerId, current, others, stranger } = await scene();
      const hashes = [current, ...others].map(({ session }) => session.tokenHash as string);
      expect(await deleteAccount(test.db, current.session, OLD_PASSWORD)).toEqual({ ok: true });

      expect(await test.db.user.findUnique({ where: { id: userId } })).toBeNull();
      expect(await test.db.session.count({ where: { userId } })).toBe(0);
      for (const hash of hashes) expect(await store.exists(hash)).toBe(false);
      for (const { cookie } of [current, ...others]) expect(await rejection(cookie)).not.toBeNull();
      expect(current.session.isNew).toBe(true);
      expect(current.session.userId).toBeNull();
      expect(current.session.isEmpty).toBe(true);
      expect(await current.session.save()).toEqual({ kind: "clear" });

      expect(await test.db.user.findUnique({ where: { id: strangerId } })).not.toBeNull();
      expect(await rejection(stranger.cookie)).toBeNull();
    });
  });
});
