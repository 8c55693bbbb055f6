import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { link, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EndReason, SessionChanges, SessionRecord, SessionStore } from "../store";
import { decodeRecord, encodeRecord, isDoomed, isTokenHash, KeyedQueue, liveSessionsOf, mergeRecord, type DeleteForUserOptions, type Log } from "./shared";

/**
 * Django's `backends/file.py`: one file per session, `<token hash>.json`, and `<token hash>.ended`
 * for an end reason. The name is the SHA-256 of the token, never cookie text, so no path traversal.
 * Files are written to a temporary name (mode 0600) and renamed, so a reader never sees half a file.
 * Saves to one session are serialised in this process; between processes the last writer wins.
 */
export class FileSessionStore implements SessionStore {
  readonly engine = "file";
  readonly #queue = new KeyedQueue();

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

  delete(hash: string, reason?: EndReason): Promise<void> {
    return this.#queue.run(hash, async () => {
      const current = await this.#read(hash);
      if (!current) return;
      if (reason) await this.#write(this.#file(hash, "ended"), JSON.stringify({ reason, expiresAt: current.expiresAt }));
      await rm(this.#file(hash, "json"), { force: true });
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

  async deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    const doomed = (await this.#all()).filter((r) => isDoomed(r, userId, options));
    await Promise.all(doomed.map((r) => this.delete(r.tokenHash, options.reason)));
    return doomed.length;
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
