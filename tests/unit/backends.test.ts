import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { sealData } from "iron-session";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/env";
import type { RequestBinding } from "@/lib/session/backends";
import { COOKIE_MAX_EVENTS, createCookieEngine } from "@/lib/session/backends/cookie";
import { FileSessionStore } from "@/lib/session/backends/file";
import { MAX_COOKIE_BYTES } from "@/lib/session/session-cookie";
import { createPayloadSealer } from "@/lib/session/sealer";
import { SessionTooLargeError, SessionValueError } from "@/lib/session/errors";
import { openSession } from "@/lib/session/open-session";
import { Session, type CookieInstruction, type SessionContext } from "@/lib/session/session";
import { generateToken, hashToken } from "@/lib/session/token";
import { CONTRACT_POLICY, TEST_SEALER } from "./support/store-contract";

const SECRET = "backends-test-secret-0123456789abcdefghijkl";
const NAME = "sesame_session";
const context = ({ store, sealer }: RequestBinding): SessionContext => ({
  store,
  sealer,
  policy: CONTRACT_POLICY,
  now: () => new Date(),
  userAgent: "vitest",
  ip: null,
});

describe("the cookie engine, one store per request as the app runs it", () => {
  const logged: string[] = [];
  const engine = createCookieEngine([SECRET], NAME, (m) => logged.push(m));

  /** One request: opens the cookie with a fresh store and sealer, runs `work`, and returns the cookie to send back. */
  async function request(cookie: string | undefined, work: (session: Session) => Promise<void> | void) {
    const binding = engine.forRequest();
    const { session, rejected } = await openSession(context(binding), cookie);
    await work(session);
    const instruction: CookieInstruction = await session.save();
    const next =
      instruction.kind === "set"
        ? await session.sealCookie(instruction.token)
        : instruction.kind === "clear"
          ? ""
          : cookie;
    return { session, rejected, cookie: next };
  }

  it("carries the whole session in the cookie and reissues it after every change", async () => {
    const first = await request(undefined, (s) => s.set("cart", ["book"]));
    expect(first.cookie).toBeTruthy();
    const second = await request(first.cookie, (s) => s.set("theme", "dark"));
    expect(second.cookie).not.toBe(first.cookie);
    const third = await request(second.cookie, () => undefined);
    expect(third.session.toJSON()).toEqual({ cart: ["book"], theme: "dark" });
  });

  it("a copy taken before logout still opens after it: nothing on the server can end it", async () => {
    const login = await request(undefined, (s) => s.login("u1"));
    const stolen = login.cookie as string;
    const logout = await request(stolen, (s) => s.flush());
    expect(logout.cookie).toBe(""); // the browser's cookie is cleared
    const replay = await request(stolen, () => undefined);
    expect(replay.rejected).toBeNull();
    expect(replay.session.userId).toBe("u1");
  });

  it("an expired cookie is refused: the expiry travels sealed inside it", async () => {
    const { cookie } = await request(undefined, (s) => {
      s.set("a", 1);
      s.setExpiry(new Date(Date.now() + 1000));
    });
    const later: SessionContext = { ...context(engine.forRequest()), now: () => new Date(Date.now() + 2000) };
    expect((await openSession(later, cookie)).rejected).toBe("idle");
  });

  it("parallel requests do not merge: the browser keeps the last cookie, so the last writer wins", async () => {
    const { cookie } = await request(undefined, (s) => s.set("base", 0));
    const [a, b] = await Promise.all([
      request(cookie, (s) => s.set("fromA", 1)),
      request(cookie, (s) => s.set("fromB", 2)),
    ]);
    expect((await request(b.cookie, () => undefined)).session.toJSON()).toEqual({ base: 0, fromB: 2 });
    expect((await request(a.cookie, () => undefined)).session.toJSON()).toEqual({ base: 0, fromA: 1 });
  });

  it("a cookie of a server-side engine (a bare token) opens nothing", async () => {
    const bare = await createPayloadSealer([SECRET]).seal({ t: "A".repeat(43) });
    expect((await request(bare, () => undefined)).rejected).toBe("unknown");
  });

  it("a sealed record that is corrupt is refused and logged; corrupt data loads empty and is logged", async () => {
    const token = "B".repeat(43);
    const sealer = createPayloadSealer([SECRET]);
    logged.length = 0;
    const broken = await sealer.seal({ t: token, r: { id: "x", createdAt: "not a date" } });
    expect((await request(broken, () => undefined)).rejected).toBe("unknown");
    expect(logged.join("\n")).toContain("corrupt");

    const login = await request(undefined, (s) => s.set("a", 1));
    const payload = (await sealer.unseal(login.cookie as string)) as { t: string; r: Record<string, unknown> };
    const badData = await sealer.seal({ t: payload.t, r: { ...payload.r, data: [1, 2] } });
    logged.length = 0;
    const opened = await request(badData, () => undefined);
    expect(opened.rejected).toBeNull();
    expect(opened.session.toJSON()).toEqual({});
    expect(logged.join("\n")).toContain(String(payload.r.id));
    expect(hashToken(payload.t)).toBe(opened.session.tokenHash);
  });

  it("keeps the last events only, so the log cannot crowd the data out of the cookie", async () => {
    let { cookie } = await request(undefined, (s) => s.set("k", 0));
    for (let i = 0; i < 30; i++) cookie = (await request(cookie, (s) => s.set(`k${i % 3}`, i))).cookie;
    expect((await request(cookie, () => undefined)).session.events).toHaveLength(COOKIE_MAX_EVENTS);
  });

  it("refuses at set() what would not fit, and the commit refuses it too, before any cookie is written", async () => {
    const { cookie } = await request(undefined, (s) => s.set("small", 1));
    await expect(request(cookie, (s) => s.set("big", "x".repeat(4000)))).rejects.toThrow(SessionTooLargeError);
    // Past the set() check (a value that grew behind the session's back), the sealer still refuses.
    const { store, sealer } = engine.forRequest();
    const { session } = await openSession(context({ store, sealer }), cookie);
    const record = await store.load(session.tokenHash as string);
    if (!record) throw new Error("expected the record");
    await store.save(record.tokenHash, {
      cleared: false,
      set: { big: "y".repeat(3500) },
      deleted: [],
      meta: {},
      events: [],
    });
    const error = await sealer.seal((await sealer.unseal(cookie as string)) as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionValueError);
    expect(String((error as Error).message)).toMatch(/needs a \d+-byte cookie.*4096 bytes per cookie/);
  });

  it("measures a sealed cookie exactly, so the 4096-byte check is the browser's", async () => {
    const sealer = createPayloadSealer([SECRET]);
    for (const size of [0, 15, 16, 17, 100, 1000, 2999]) {
      const payload = { t: "x".repeat(size) };
      const sealed = await sealer.seal(payload);
      expect(sealed.length).toBe(sealer.sealedLength(Buffer.byteLength(JSON.stringify(payload))));
    }
    // And iron-session's own output, for the same password map, agrees.
    const direct = await sealData({ t: "x" }, { password: { "1": SECRET }, ttl: 0 });
    expect(direct.startsWith("Fe26.2*1*")).toBe(true);
    expect(MAX_COOKIE_BYTES).toBe(4096);
  });

  it("the shared store lists and revokes nothing, and clears nothing", async () => {
    const { store } = engine.forRequest();
    expect(await store.listForUser("u1", new Date())).toEqual([]);
    expect(await store.deleteForUser("u1", { reason: "revoked" })).toBe(0);
    expect(await store.clearExpired(new Date())).toBe(0);
    expect(await store.endReason(hashToken("x"))).toBeNull();
  });
});

describe("FileSessionStore specifics", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sesame-file-specifics-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes one file per session, named by the token hash, readable by the owner only, with no temp files left", async () => {
    const store = new FileSessionStore(dir, () => undefined);
    const s = Session.create(context({ store, sealer: TEST_SEALER }));
    s.set("a", 1);
    const instruction = await s.save();
    if (instruction.kind !== "set") throw new Error("expected a cookie");
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.save(s.tokenHash as string, { cleared: false, set: { [`k${i}`]: i }, deleted: [], meta: {}, events: [] }),
      ),
    );
    expect(readdirSync(dir)).toEqual([`${hashToken(instruction.token)}.json`]);
    expect(statSync(path.join(dir, readdirSync(dir)[0] as string)).mode & 0o777).toBe(0o600);
    expect(Object.keys((await store.load(s.tokenHash as string))?.data ?? {})).toHaveLength(11);
  });

  it("never turns cookie contents into a path", async () => {
    const store = new FileSessionStore(dir, () => undefined);
    for (const hash of ["../../etc/passwd", "..", "/etc/passwd", `${"a".repeat(63)}/`]) {
      expect(await store.load(hash)).toBeNull();
      expect(await store.exists(hash)).toBe(false);
      expect(await store.endReason(hash)).toBeNull();
    }
  });

  it("leaves a tombstone file for an end reason, removed once the session would have expired", async () => {
    const store = new FileSessionStore(dir, () => undefined);
    const s = Session.create(context({ store, sealer: TEST_SEALER }));
    s.set("a", 1);
    await s.save();
    const hash = s.tokenHash as string;
    await store.delete(hash, "revoked");
    expect(readdirSync(dir)).toEqual([`${hash}.ended`]);
    expect(await store.endReason(hash)).toBe("revoked");
    await store.clearExpired(new Date(Date.now() + 24 * 60 * 60 * 1000));
    expect(readdirSync(dir)).toEqual([]);
  });

  /** The ConfigError that opening a file store on `folder` throws. */
  function refusal(folder: string): ConfigError {
    try {
      new FileSessionStore(folder, () => undefined);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error(`FileSessionStore accepted ${folder}`);
  }

  it("creates a missing folder, and its missing parents, private to this user (0700)", () => {
    const folder = path.join(dir, "var", "sessions");
    new FileSessionStore(folder, () => undefined);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, "var")).mode & 0o777).toBe(0o700);
  });

  it.each([
    ["0777", 0o777],
    ["1777 (as /tmp)", 0o1777],
    ["0750", 0o750],
    ["0701", 0o701],
  ])("refuses an existing folder with mode %s, naming it and saying how to fix it", (_label, mode) => {
    const folder = path.join(dir, "shared");
    mkdirSync(folder);
    chmodSync(folder, mode);
    const { message } = refusal(folder);
    expect(message).toContain("SESSION_FILE_PATH");
    expect(message).toContain(folder);
    expect(message).toContain(`chmod 700 "${folder}"`);
    expect(readdirSync(folder)).toEqual([]); // refused before anything was written
  });

  it("refuses a folder that is a symbolic link, even to a private folder", () => {
    const real = path.join(dir, "real");
    mkdirSync(real, { mode: 0o700 });
    const link = path.join(dir, "link");
    symlinkSync(real, link);
    const { message } = refusal(link);
    expect(message).toContain(link);
    expect(message).toContain("symbolic link");
  });

  it("refuses a folder owned by another user", () => {
    // As root, a private folder handed to `nobody`; otherwise the root folder, which root owns.
    const uid = process.getuid?.() ?? 0;
    let folder = "/";
    if (uid === 0) {
      folder = path.join(dir, "theirs");
      mkdirSync(folder, { mode: 0o700 });
      chownSync(folder, 65534, 65534);
    }
    const { message } = refusal(folder);
    expect(message).toContain(folder);
    expect(message).toMatch(/belongs to another user \(uid \d+\), not to the user this server runs as/);
  });

  it("refuses a path that is a file, and one that cannot be created, with a clear message", () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "");
    expect(refusal(file).message).toContain(`${file} exists and is not a folder`);
    expect(refusal(path.join(file, "below")).message).toContain("cannot be created");
  });

  /** A stored session in `store`, with its token hash. */
  async function storedHash(store: FileSessionStore, data: Record<string, unknown>): Promise<string> {
    const s = Session.create(context({ store, sealer: TEST_SEALER }));
    for (const [key, value] of Object.entries(data)) s.set(key, value);
    await s.save();
    return s.tokenHash as string;
  }

  it("a session file renamed to another token hash's name loads as missing, and is logged", async () => {
    const logged: string[] = [];
    const store = new FileSessionStore(dir, (m) => logged.push(m));
    const victim = await storedHash(store, { role: "admin" });
    const attacker = await storedHash(store, { role: "guest" });
    renameSync(path.join(dir, `${victim}.json`), path.join(dir, `${attacker}.json`));

    expect(await store.load(attacker)).toBeNull();
    expect(await store.exists(attacker)).toBe(false);
    expect(await store.load(victim)).toBeNull();
    expect(logged.join("\n")).toContain(`session file ${attacker.slice(0, 8)}… holds another session's record`);
  });

  it("a symbolic link in place of a session file or a tombstone is not followed", async () => {
    const logged: string[] = [];
    const store = new FileSessionStore(dir, (m) => logged.push(m));
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), "sesame-file-elsewhere-"));
    try {
      // A valid record and tombstone for `hash`, planted outside the folder and linked into it.
      const hash = hashToken(generateToken());
      const source = await storedHash(store, { planted: true });
      const record = JSON.parse(readFileSync(path.join(dir, `${source}.json`), "utf8")) as Record<string, unknown>;
      writeFileSync(path.join(elsewhere, "record.json"), JSON.stringify({ ...record, tokenHash: hash }));
      writeFileSync(
        path.join(elsewhere, "tombstone"),
        JSON.stringify({ reason: "revoked", expiresAt: new Date(Date.now() + 60_000) }),
      );
      symlinkSync(path.join(elsewhere, "record.json"), path.join(dir, `${hash}.json`));
      symlinkSync(path.join(elsewhere, "tombstone"), path.join(dir, `${hash}.ended`));

      expect(await store.load(hash)).toBeNull();
      expect(await store.endReason(hash)).toBeNull();
      expect(logged.join("\n")).toContain(`${hash}.json in the session folder is a symbolic link`);
      // Control: the same record as a regular file does load.
      rmSync(path.join(dir, `${hash}.json`));
      writeFileSync(path.join(dir, `${hash}.json`), JSON.stringify({ ...record, tokenHash: hash }));
      expect((await store.load(hash))?.data).toEqual({ planted: true });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
