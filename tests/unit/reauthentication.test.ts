import { describe, expect, it } from "vitest";
import { isPasswordFresh, passwordFreshUntil } from "@/lib/session/reauthentication";
import { MemorySessionStore } from "@/lib/session/backends/memory";
import { decodeRecord, encodeRecord } from "@/lib/session/backends/record-codec";
import { Session } from "@/lib/session/session";
import { testContext } from "./support/store-contract";

const T0 = new Date("2030-01-01T00:00:00.000Z");
const WINDOW = 600;
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

describe("sudo mode's rule: isPasswordFresh and passwordFreshUntil", () => {
  const confirmed = (when: Date | null, userId: string | null = "user-1") => ({ userId, passwordConfirmedAt: when });

  it("counts a password entry as fresh for the window, and not one second more", () => {
    const session = confirmed(T0);
    expect(passwordFreshUntil(session, WINDOW)).toEqual(at(WINDOW));
    expect(isPasswordFresh(session, WINDOW, T0)).toBe(true);
    expect(isPasswordFresh(session, WINDOW, at(WINDOW - 1))).toBe(true);
    expect(isPasswordFresh(session, WINDOW, new Date(at(WINDOW).getTime() - 1))).toBe(true);
    expect(isPasswordFresh(session, WINDOW, at(WINDOW))).toBe(false);
    expect(isPasswordFresh(session, WINDOW, at(WINDOW + 3600))).toBe(false);
  });

  it("follows the window it is given", () => {
    expect(passwordFreshUntil(confirmed(T0), 3)).toEqual(at(3));
    expect(isPasswordFresh(confirmed(T0), 3, at(2))).toBe(true);
    expect(isPasswordFresh(confirmed(T0), 3, at(3))).toBe(false);
  });

  it("is never fresh without a password entry: a record from before sudo mode", () => {
    expect(passwordFreshUntil(confirmed(null), WINDOW)).toBeNull();
    expect(isPasswordFresh(confirmed(null), WINDOW, T0)).toBe(false);
  });

  it("is never fresh for an anonymous session, whatever time it carries", () => {
    expect(passwordFreshUntil(confirmed(T0, null), WINDOW)).toBeNull();
    expect(isPasswordFresh(confirmed(T0, null), WINDOW, T0)).toBe(false);
  });
});

describe("Session's confirmation time", () => {
  function clocked() {
    let nowMs = T0.getTime();
    const store = new MemorySessionStore(() => new Date(nowMs));
    const ctx = testContext(store, { now: () => new Date(nowMs) });
    return {
      session: Session.create(ctx),
      advance: (seconds: number) => void (nowMs += seconds * 1000),
    };
  }

  it("starts at login, lapses after the window, and confirmPassword renews it from the session's clock", async () => {
    const { session, advance } = clocked();
    expect(session.passwordConfirmedAt).toBeNull();
    await session.login("user-1");
    expect(session.passwordConfirmedAt).toEqual(T0);
    await session.save();

    advance(WINDOW + 1);
    expect(isPasswordFresh(session, WINDOW, at(WINDOW + 1))).toBe(false);
    expect(session.confirmPassword()).toEqual(at(WINDOW + 1));
    expect(session.passwordConfirmedAt).toEqual(at(WINDOW + 1));
    expect(session.modified).toBe(true);
    expect(isPasswordFresh(session, WINDOW, at(WINDOW + 2))).toBe(true);
    expect(session.events.at(-1)).toMatchObject({ type: "password_confirmed" });
  });

  it("refuses a confirmation on an anonymous session: there is no password to have entered", () => {
    const { session } = clocked();
    expect(() => session.confirmPassword()).toThrow(/logged-in/);
  });

  it("is not session data: the playground's keys cannot set it", async () => {
    const { session } = clocked();
    await session.login("user-1");
    session.set("passwordConfirmedAt", "2999-01-01T00:00:00.000Z");
    expect(session.passwordConfirmedAt).toEqual(T0);
  });
});

describe("the confirmation time as JSON (file, Redis and cookie engines)", () => {
  const stored = {
    id: "s1",
    tokenHash: "h1",
    userId: "user-1",
    data: "{}",
    createdAt: T0.toISOString(),
    lastSeenAt: T0.toISOString(),
    expiresAt: at(99).toISOString(),
    absoluteExpiresAt: at(99).toISOString(),
    events: [],
  };
  const decode = (value: object) => decodeRecord(JSON.stringify(value), () => {}, "s1");

  it("loads a record stored before sudo mode, which has no such field, as never confirmed", () => {
    const record = decode(stored);
    expect(record).not.toBeNull();
    expect(record?.passwordConfirmedAt).toBeNull();
  });

  it("round-trips a confirmation time, and loads an unreadable one as never confirmed", () => {
    const record = decode({ ...stored, passwordConfirmedAt: at(5).toISOString() });
    expect(record?.passwordConfirmedAt).toEqual(at(5));
    expect(decodeRecord(encodeRecord(record!), () => {}, "s1")?.passwordConfirmedAt).toEqual(at(5));
    expect(decode({ ...stored, passwordConfirmedAt: "yesterday-ish" })?.passwordConfirmedAt).toBeNull();
    expect(decode({ ...stored, passwordConfirmedAt: 12345 })?.passwordConfirmedAt).toBeNull();
  });
});
