import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN_PAGE_SIZE,
  adminListingQuerySchema,
  endSessionAsAdmin,
  findSessionForAdmin,
  isSuperuser,
  listSessionsForAdmin,
  MAX_FILTERED_ACCOUNTS,
} from "@/lib/auth/admin-sessions";
import { promoteToSuperuser } from "@/lib/auth/users";
import { DbSessionStore } from "@/lib/session/backends/db";
import { Session } from "@/lib/session/session";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { testContext } from "./support/store-contract";

/**
 * The admin's core over a real SQLite database: who is a superuser, the listing with its filter
 * and pages, the decoded view and ending a session. The store side (listLive, findById) runs on
 * every engine in support/store-contract.ts.
 */
describe("the sessions admin", () => {
  let test: TestDatabase;
  let store: DbSessionStore;
  let clock: number;
  const now = (): Date => new Date(clock);

  beforeEach(async () => {
    test = await createTestDatabase();
    store = new DbSessionStore(test.sqlite);
    clock = Date.parse("2030-05-01T12:00:00Z");
  });
  afterEach(async () => {
    await test.cleanup();
  });

  async function account(email: string): Promise<string> {
    const id = `user-${email.split("@")[0]}`;
    await test.db.user.create({ data: { id, email, passwordHash: "not-a-real-hash" } });
    return id;
  }

  /** A saved session, a second after the previous one, logged in as `userId` when given. */
  async function session(userId: string | null, data: Record<string, unknown> = {}): Promise<Session> {
    clock += 1000;
    const s = Session.create(testContext(store, { now }));
    if (userId) await s.login(userId);
    for (const [key, value] of Object.entries(data)) s.set(key, value);
    await s.save();
    return s;
  }

  it("knows a superuser from the database on every call, so a promotion counts at once", async () => {
    const id = await account("root@example.com");
    expect(await isSuperuser(test.db, id)).toBe(false);
    await promoteToSuperuser(test.db, "root@example.com");
    expect(await isSuperuser(test.db, id)).toBe(true);
    expect(await isSuperuser(test.db, "no-such-user")).toBe(false);
  });

  it("lists every live session newest first, with its owner's email or none, and never a token or hash", async () => {
    const ann = await account("ann@example.com");
    const older = await session(ann, { theme: "dark" });
    const anonymous = await session(null, { note: "é" });
    const listing = await listSessionsForAdmin(test.db, store, { email: undefined, page: 1 }, now());
    expect(listing).toMatchObject({ ok: true, total: 2, page: 1, pageCount: 1 });
    if (!listing.ok) return;
    expect(listing.sessions.map((row) => row.id)).toEqual([anonymous.id, older.id]);
    expect(listing.sessions[0]).toMatchObject({ user: null, dataBytes: Buffer.byteLength('{"note":"é"}') });
    expect(listing.sessions[1]).toMatchObject({
      user: { id: ann, email: "ann@example.com" },
      userAgent: null,
      dataBytes: Buffer.byteLength('{"theme":"dark"}'),
    });
    const text = JSON.stringify(listing);
    for (const s of [older, anonymous]) expect(text).not.toContain(s.tokenHash as string);
    expect(Object.keys(listing.sessions[0] ?? {}).sort()).toEqual(
      ["createdAt", "dataBytes", "expiresAt", "id", "ip", "lastSeenAt", "user", "userAgent"].sort(),
    );
  });

  it("filters by a part of the email, in any case, and leaves anonymous sessions out", async () => {
    const ann = await account("ann@example.com");
    const bob = await account("bob@example.org");
    const annSession = await session(ann);
    await session(bob);
    await session(null);
    const query = adminListingQuerySchema.parse({ email: "  ANN@ " });
    const listing = await listSessionsForAdmin(test.db, store, query, now());
    expect(listing).toMatchObject({ ok: true, total: 1, sessions: [{ id: annSession.id }] });
    const none = await listSessionsForAdmin(test.db, store, { email: "carol", page: 1 }, now());
    expect(none).toMatchObject({ ok: true, total: 0, sessions: [], pageCount: 1 });
    const both = await listSessionsForAdmin(test.db, store, { email: "example", page: 1 }, now());
    expect(both).toMatchObject({ ok: true, total: 2 });
  });

  it(`pages ${ADMIN_PAGE_SIZE} sessions at a time`, async () => {
    const ann = await account("ann@example.com");
    const made: Session[] = [];
    for (let i = 0; i < ADMIN_PAGE_SIZE + 3; i++) made.push(await session(i % 2 ? ann : null, { n: i }));
    const second = await listSessionsForAdmin(test.db, store, { email: undefined, page: 2 }, now());
    expect(second).toMatchObject({ ok: true, total: ADMIN_PAGE_SIZE + 3, page: 2, pageCount: 2 });
    if (second.ok)
      expect(second.sessions.map((row) => row.id)).toEqual(
        made
          .slice(0, 3)
          .map((s) => s.id)
          .reverse(),
      );
    const past = await listSessionsForAdmin(test.db, store, { email: undefined, page: 9 }, now());
    expect(past).toMatchObject({ ok: true, sessions: [], total: ADMIN_PAGE_SIZE + 3 });
  });

  it(`asks for more of the email when over ${MAX_FILTERED_ACCOUNTS} accounts match`, async () => {
    await test.db.user.createMany({
      data: Array.from({ length: MAX_FILTERED_ACCOUNTS + 1 }, (_, i) => ({
        id: `bulk-${i}`,
        email: `bulk${i}@example.com`,
        passwordHash: "x",
      })),
    });
    expect(await listSessionsForAdmin(test.db, store, { email: "bulk", page: 1 }, now())).toEqual({
      ok: false,
      reason: "filter_too_broad",
    });
    expect(await listSessionsForAdmin(test.db, store, { email: "bulk1000@", page: 1 }, now())).toMatchObject({
      ok: true,
      total: 0,
    });
  });

  it("opens a session's decoded data, says when it has expired, and finds nothing under another id", async () => {
    const ann = await account("ann@example.com");
    const s = await session(ann, { cart: [1, 2], greeting: "hi" });
    const detail = await findSessionForAdmin(test.db, store, s.id as string, now());
    expect(detail).toMatchObject({
      live: true,
      data: { cart: [1, 2], greeting: "hi" },
      session: { id: s.id, user: { email: "ann@example.com" } },
    });
    clock += 13 * 60 * 60 * 1000; // past the contract policy's 12-hour absolute lifetime
    expect((await findSessionForAdmin(test.db, store, s.id as string, now()))?.live).toBe(false);
    expect(await findSessionForAdmin(test.db, store, "no-such-session", now())).toBeNull();
    expect(await findSessionForAdmin(test.db, store, "../../etc/passwd", now())).toBeNull();
  });

  it("ends a session with the reason its holder is told, once", async () => {
    const ann = await account("ann@example.com");
    const s = await session(ann);
    expect(await endSessionAsAdmin(store, s.id as string)).toEqual({ ok: true, userId: ann });
    expect(await store.exists(s.tokenHash as string)).toBe(false);
    expect(await store.endReason(s.tokenHash as string)).toBe("ended_by_admin");
    expect(await endSessionAsAdmin(store, s.id as string)).toEqual({ ok: false, reason: "not_found" });
    expect(await endSessionAsAdmin(store, "not an id!")).toEqual({ ok: false, reason: "not_found" });
  });

  it.each([
    [{}, { email: undefined, page: 1 }],
    [{ email: "", page: "" }, "Pages start at 1."],
    [
      { email: "  Mixed@Case ", page: "3" },
      { email: "mixed@case", page: 3 },
    ],
    [{ page: "abc" }, "The page must be a whole number."],
    [{ page: "0" }, "Pages start at 1."],
    [{ page: "1.5" }, "The page must be a whole number."],
    [{ page: "99999999" }, "There are not that many pages."],
    [{ email: "x".repeat(255) }, "The email filter is at most 254 characters."],
  ])("reads the query %j", (input, expected) => {
    const parsed = adminListingQuerySchema.safeParse(input);
    if (typeof expected === "string") expect(parsed.error?.issues[0]?.message).toBe(expected);
    else expect(parsed.data).toEqual(expected);
  });
});
