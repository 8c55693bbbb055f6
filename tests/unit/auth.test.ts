import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { logIn, logOut, registerAndLogIn } from "@/lib/auth/flows";
import {
  credentialsSchema,
  emailSchema,
  loginSchema,
  newPasswordSchema,
  registerFormSchema,
  utf8Length,
} from "@/lib/auth/schemas";
import { authenticate, findUser, registerUser } from "@/lib/auth/users";
import { DbSessionStore } from "@/lib/session/backends/db";
import { Session, type SessionContext } from "@/lib/session/session";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { CONTRACT_POLICY } from "./support/store-contract";

/** The lowest cost the configuration allows: real bcrypt, but quick. */
const COST = 10;

describe("emailSchema", () => {
  it("trims and lower-cases", () => {
    expect(emailSchema.parse("  Alice.Smith@Example.COM \n")).toBe("alice.smith@example.com");
  });

  it.each(["", "   ", "alice", "alice@", "@example.com", "alice@@example.com", "alice example@x.com", `${"a".repeat(250)}@x.com`])(
    "refuses %j",
    (email) => {
      expect(emailSchema.safeParse(email).success).toBe(false);
    },
  );

  it("refuses a non-string", () => {
    expect(emailSchema.safeParse(undefined).success).toBe(false);
    expect(emailSchema.safeParse(42).success).toBe(false);
  });
});

describe("newPasswordSchema", () => {
  const accepts = (password: string) => newPasswordSchema.safeParse(password).success;

  it("needs at least 8 characters", () => {
    expect(accepts("1234567")).toBe(false);
    expect(accepts("12345678")).toBe(true);
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
    expect(loginSchema.parse({ email: "A@B.co", password: "x" })).toEqual({ email: "a@b.co", password: "x", remember: false });
    expect(loginSchema.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
  });
});

describe("users", () => {
  let test: TestDatabase;
  const credentials = (email: string, password = "correct horse battery") => credentialsSchema.parse({ email, password });

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
    expect(Object.keys(result.user).sort()).toEqual(["createdAt", "email", "id"]);

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
      Array.from({ length: 5 }, (_, i) => registerUser(test.db, credentials("race@example.com", `password-${i}`), COST)),
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
    const wrongPassword = await authenticate(test.db, { email: "bob@example.com", password: "correct horse batterY" }, COST);
    const unknownEmail = await authenticate(test.db, { email: "nobody@example.com", password: "correct horse battery" }, COST);
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
      store: new DbSessionStore(test.db, () => undefined),
      policy: CONTRACT_POLICY,
      now: () => now,
      userAgent: null,
      ip: null,
    };
    await registerUser(test.db, credentialsSchema.parse({ email: "carol@example.com", password: "correct horse battery" }), COST);
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
    const result = await logIn(test.db, session, loginSchema.parse({ email: "carol@example.com", password: "correct horse battery" }), COST);
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
    const result = await logIn(test.db, session, loginSchema.parse({ email: "carol@example.com", password: "wrong password" }), COST);
    expect(result).toEqual({ ok: false });
    expect(session.tokenHash).toBe(before);
    expect(session.userId).toBeNull();
  });

  it("registerAndLogIn creates the account and logs it in", async () => {
    const session = await anonymousSession();
    const result = await registerAndLogIn(test.db, session, credentialsSchema.parse({ email: "dan@example.com", password: "another passphrase" }), COST);
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
