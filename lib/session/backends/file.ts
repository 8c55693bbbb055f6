import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { link, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EndReason, NewKey, SessionChanges, SessionRecord, SessionStore } from "../store";
import {
  decodeRecord,
  encodeRecord,
  endUntilNoneLeft,
  isDoomed,
  isTokenHash,
  KeyedQueue,
  liveSessionsOf,
  mergeRecord,
  rotateRecord,
  type DeleteForUserOptions,
  type Log,
} from "./shared";

/**
 * Django's `backends/file.py`: one file per session, `<token hash>.json`, and `<token hash>.ended`
 * for an end reason. The name is the SHA-256 of the token, never cookie text, so no path traversal.
 * Files are written to a temporary name (mode 0600) and renamed, so a reader never sees half a file.
 * Saves to one session are serialised in this process; between processes the last writer wins.
 */
export class FileSessionStore implements SessionStore {
  readonly engine = "file";
  readonly #queue = new KeyedQueue();
  /** One key: rotations and deleteForUser take turns, so a scan never misses a session moving to a new file. */
  readonly #sweeps = new KeyedQueue();

  constructor(
    readonly dir: string,
    private readonly log: Log = console.warn,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  #file = (hash: string, ext: "json" | "ended") => path.join(/*turbopackIgnore: true*/ this.dir, `${hash}.${ext}`);

  async #read(hash: string): Promise<SessionRecord | null> {
    if (!isTokenHash(hash)) return null;
    const raw = await readFile(this.#file(hash, "json"), "utf8").catch(() => null);
    return raw === null ? null : decodeRecord(raw, this.log, hash.slice(0, 8));
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
      if (reason) await this.#write(this.#file(hash, "ended"), JSON.stringify({ reason, expiresAt: current.expiresAt }));
      return rm(this.#file(hash, "json")).then(
        () => true,
        () => false,
      );
    });
  }

  async endReason(hash: string): Promise<EndReason | null> {
    if (!isTokenHash(hash)) return null;
    const tombstone = parseTombstone(await readFile(this.#file(hash, "ended"), "utf8").catch(() => ""));
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
      const tombstone = parseTombstone(await readFile(path.join(/*turbopackIgnore: true*/ this.dir, name), "utf8").catch(() => ""));
      if (!tombstone || tombstone.expiresAt <= now) await rm(path.join(/*turbopackIgnore: true*/ this.dir, name), { force: true });
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
