import { randomBytes } from "node:crypto";
import { constants, lstatSync, mkdirSync, type Stats } from "node:fs";
import { link, open, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../../config/env";
import {
  type DeleteForUserOptions,
  type EndReason,
  isDoomed,
  liveSessionsOf,
  type LiveSessionPage,
  type LiveSessionQuery,
  mergeRecord,
  type NewKey,
  pageOfLiveSessions,
  rotateRecord,
  type SessionChanges,
  type SessionRecord,
} from "../record";
import type { Log, SessionStore } from "../store";
import { decodeRecord, encodeRecord } from "./record-codec";
import { endUntilNoneLeft, KeyedQueue } from "./concurrency";
import { isTokenHash } from "../token";

/** Opens files without following a symbolic link at the last step (0 where the OS has no such flag). */
const READ_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export type FolderCheck = { ok: true } | { ok: false; problem: string };

/**
 * Creates the session folder (mode 0700) if it is missing, then checks that it is private to this
 * server's user: not a symbolic link, owned by this user, with no permission for group or others.
 * The check runs whether or not mkdir created the folder: mkdir leaves an existing one as it is,
 * and a folder that someone else made first (mode 0777, say) must be refused, not used.
 */
export function prepareSessionFolder(dir: string): FolderCheck {
  let stats: Stats;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    stats = lstatSync(dir);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === "EEXIST")
      return { ok: false, problem: `${dir} exists and is not a folder. Set SESSION_FILE_PATH to a folder.` };
    return {
      ok: false,
      problem: `${dir} cannot be created (${message}). Set SESSION_FILE_PATH to a folder this server may create.`,
    };
  }
  if (stats.isSymbolicLink()) {
    return {
      ok: false,
      problem: `${dir} is a symbolic link, which whoever controls it can point elsewhere. Set SESSION_FILE_PATH to the real folder.`,
    };
  }
  if (!stats.isDirectory())
    return { ok: false, problem: `${dir} exists and is not a folder. Set SESSION_FILE_PATH to a folder.` };
  // Windows has neither owners as numbers nor these permission bits: there the folder's ACL applies.
  const uid = process.getuid?.();
  if (uid === undefined) return { ok: true };
  if (stats.uid !== uid) {
    return {
      ok: false,
      problem:
        `${dir} belongs to another user (uid ${stats.uid}), not to the user this server runs as (uid ${uid}): ` +
        `that user could read, plant or rename sessions. Use a folder of your own, or run \`chown ${uid} "${dir}"\` if it is yours.`,
    };
  }
  if ((stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o7777).toString(8).padStart(4, "0");
    return {
      ok: false,
      problem: `${dir} grants access to group or other users (mode ${mode}). Run \`chmod 700 "${dir}"\` to make it private to this user.`,
    };
  }
  return { ok: true };
}

/** The folder check as a start-up error: the server and `npm run sessions:clear` refuse to run. */
export function assertSessionFolder(dir: string): void {
  const folder = prepareSessionFolder(dir);
  if (!folder.ok) {
    throw new ConfigError(
      `Sesame cannot start: the session folder is not safe.\n  - SESSION_FILE_PATH: ${folder.problem}`,
    );
  }
}

/**
 * Django's `backends/file.py`: one file per session, `<token hash>.json`, and `<token hash>.ended`
 * for an end reason. The name is the SHA-256 of the token, never cookie text, so no path traversal.
 * The folder must be private to this user (checked at start). Files are opened without following
 * links, and a record loads only under the name of its own token hash, so a file moved to another
 * name opens nothing. Files are written to a temporary name (mode 0600) and renamed, so a reader
 * never sees half a file. Saves to one session are serialised in this process; between processes
 * the last writer wins.
 */
export class FileSessionStore implements SessionStore {
  readonly #queue = new KeyedQueue();
  /** One key: rotations and deleteForUser take turns, so a scan never misses a session moving to a new file. */
  readonly #sweeps = new KeyedQueue();

  constructor(
    readonly dir: string,
    private readonly log: Log = console.warn,
  ) {
    assertSessionFolder(dir);
  }

  #file = (hash: string, ext: "json" | "ended") => path.join(/*turbopackIgnore: true*/ this.dir, `${hash}.${ext}`);

  /** A file's text, or null if it is missing, unreadable or a symbolic link (which is logged, never followed). */
  async #readText(file: string): Promise<string | null> {
    const handle = await open(file, READ_NO_FOLLOW).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ELOOP" || error.code === "EMLINK") {
        this.log(`[sesame] ${path.basename(file)} in the session folder is a symbolic link; it was not followed.`);
      }
      return null;
    });
    if (!handle) return null;
    try {
      return await handle.readFile("utf8");
    } catch {
      return null;
    } finally {
      await handle.close();
    }
  }

  /** The record in `file`, only if it belongs to `hash`: a file renamed from another session's name loads as missing. */
  async #decode(file: string, hash: string): Promise<SessionRecord | null> {
    const raw = await this.#readText(file);
    const record = raw === null ? null : decodeRecord(raw, this.log, hash.slice(0, 8));
    if (record && record.tokenHash !== hash) {
      this.log(
        `[sesame] session file ${hash.slice(0, 8)}… holds another session's record (it was renamed); treating it as missing.`,
      );
      return null;
    }
    return record;
  }

  #read(hash: string): Promise<SessionRecord | null> {
    return isTokenHash(hash) ? this.#decode(this.#file(hash, "json"), hash) : Promise.resolve(null);
  }

  /** Writes next to the target, then moves it into place: rename is atomic. */
  async #write(target: string, content: string, exclusive = false): Promise<void> {
    const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, content, { mode: 0o600, flag: "wx" });
    try {
      // link() refuses an existing target, so create() never overwrites a session.
      if (exclusive) await link(temp, target);
      else await rename(temp, target);
    } finally {
      if (exclusive) await rm(temp, { force: true });
    }
  }

  load = (hash: string) => this.#read(hash);

  async exists(hash: string): Promise<boolean> {
    return (await this.#read(hash)) !== null;
  }

  async create(record: SessionRecord): Promise<void> {
    await this.#write(this.#file(record.tokenHash, "json"), encodeRecord(record), true);
  }

  save(hash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    return this.#queue.run(hash, async () => {
      const current = await this.#read(hash);
      if (!current) return null;
      const merged = mergeRecord(current, changes);
      await this.#write(this.#file(hash, "json"), encodeRecord(merged));
      return merged;
    });
  }

  /**
   * Creates the new file exclusively, then unlinks the old one: of this unlink and a deletion's,
   * in any process, exactly one succeeds, and if it is the deletion's the new file is removed again.
   * Either the old file or the new one exists at every instant, so a folder scan always finds the
   * session. In this process the per-key queue orders a rotation against saves and deletions of the
   * old key, and #sweeps against deleteForUser. Between processes there is no lock: a save that had
   * already read the old file can write it back afterwards (saves there are last-writer-wins), and
   * another process's deleteForUser can miss a session that moves while it scans.
   */
  rotate(oldHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null> {
    return this.#sweeps.run("", () =>
      this.#queue.run(oldHash, async () => {
        const current = await this.#read(oldHash);
        if (!current) return null;
        const next = rotateRecord(current, key, changes);
        const created = this.#file(next.tokenHash, "json");
        await this.#write(created, encodeRecord(next), true);
        const unlinked = await rm(this.#file(oldHash, "json")).then(
          () => true,
          () => false,
        );
        if (unlinked) return next;
        await rm(created, { force: true });
        return null;
      }),
    );
  }

  async delete(hash: string, reason?: EndReason): Promise<void> {
    await this.#end(hash, reason);
  }

  /** Deletes a session and leaves its end reason; true if this call removed it. */
  #end(hash: string, reason?: EndReason): Promise<boolean> {
    return this.#queue.run(hash, async () => {
      const current = await this.#read(hash);
      if (!current) return false;
      if (reason)
        await this.#write(this.#file(hash, "ended"), JSON.stringify({ reason, expiresAt: current.expiresAt }));
      return rm(this.#file(hash, "json")).then(
        () => true,
        () => false,
      );
    });
  }

  async endReason(hash: string): Promise<EndReason | null> {
    if (!isTokenHash(hash)) return null;
    const tombstone = parseTombstone((await this.#readText(this.#file(hash, "ended"))) ?? "");
    return tombstone && tombstone.expiresAt > new Date() ? tombstone.reason : null;
  }

  /** Every stored session: a scan of the folder, as Django's file backend does. */
  async #all(): Promise<SessionRecord[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const records = await Promise.all(names.filter((n) => n.endsWith(".json")).map((n) => this.#read(n.slice(0, -5))));
    return records.filter((r): r is SessionRecord => r !== null);
  }

  async clearExpired(now: Date): Promise<number> {
    const expired = (await this.#all()).filter((r) => r.expiresAt <= now);
    await Promise.all(expired.map((r) => rm(this.#file(r.tokenHash, "json"), { force: true })));
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!name.endsWith(".ended")) continue;
      const file = path.join(/*turbopackIgnore: true*/ this.dir, name);
      const tombstone = parseTombstone((await this.#readText(file)) ?? "");
      if (!tombstone || tombstone.expiresAt <= now) await rm(file, { force: true });
    }
    return expired.length;
  }

  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return liveSessionsOf(await this.#all(), userId, now);
  }

  deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    return this.#sweeps.run("", () =>
      endUntilNoneLeft(
        async () => (await this.#all()).filter((r) => isDoomed(r, userId, options)),
        (hash) => this.#end(hash, options.reason),
      ),
    );
  }

  /** A scan of the folder, as every listing here is: fine for the admin of one machine's sessions. */
  async listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage> {
    return pageOfLiveSessions(await this.#all(), now, query);
  }

  async findById(id: string): Promise<SessionRecord | null> {
    return (await this.#all()).find((record) => record.id === id) ?? null;
  }
}

function parseTombstone(raw: string): { reason: EndReason; expiresAt: Date } | null {
  try {
    const { reason, expiresAt } = JSON.parse(raw) as { reason: EndReason; expiresAt: string };
    const at = new Date(expiresAt);
    return typeof reason === "string" && !Number.isNaN(at.getTime()) ? { reason, expiresAt: at } : null;
  } catch {
    return null;
  }
}
