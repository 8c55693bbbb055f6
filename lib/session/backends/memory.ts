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
import type { SessionStore } from "../store";

const copy = (record: SessionRecord): SessionRecord => structuredClone(record);

/** An in-process store: the reference for the contract suite, and handy in unit tests. */
export class MemorySessionStore implements SessionStore {
  readonly #rows = new Map<string, SessionRecord>();
  readonly #tombstones = new Map<string, { reason: EndReason; expiresAt: Date }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async load(tokenHash: string): Promise<SessionRecord | null> {
    const row = this.#rows.get(tokenHash);
    return row ? copy(row) : null;
  }

  async exists(tokenHash: string): Promise<boolean> {
    return this.#rows.has(tokenHash);
  }

  async create(record: SessionRecord): Promise<void> {
    if (this.#rows.has(record.tokenHash)) throw new Error("A session with this key already exists.");
    this.#rows.set(record.tokenHash, copy(record));
  }

  async save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    const row = this.#rows.get(tokenHash);
    if (!row) return null;
    const next = mergeRecord(row, changes);
    this.#rows.set(tokenHash, copy(next));
    return copy(next);
  }

  async rotate(oldTokenHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null> {
    const row = this.#rows.get(oldTokenHash);
    if (!row) return null;
    if (this.#rows.has(key.tokenHash)) throw new Error("A session with this key already exists.");
    const next = rotateRecord(row, key, changes);
    this.#rows.delete(oldTokenHash);
    this.#rows.set(key.tokenHash, copy(next));
    return copy(next);
  }

  async delete(tokenHash: string, reason?: EndReason): Promise<void> {
    this.#end(tokenHash, reason);
  }

  /** Synchronous, so that deleteForUser ends every matching row in one step that nothing can interleave. */
  #end(tokenHash: string, reason: EndReason | undefined): boolean {
    const row = this.#rows.get(tokenHash);
    if (!row) return false;
    this.#rows.delete(tokenHash);
    if (reason) this.#tombstones.set(tokenHash, { reason, expiresAt: row.expiresAt });
    return true;
  }

  async endReason(tokenHash: string): Promise<EndReason | null> {
    const tombstone = this.#tombstones.get(tokenHash);
    return tombstone && tombstone.expiresAt > this.now() ? tombstone.reason : null;
  }

  async clearExpired(now: Date): Promise<number> {
    let removed = 0;
    for (const [hash, row] of this.#rows) {
      if (row.expiresAt <= now) {
        this.#rows.delete(hash);
        removed += 1;
      }
    }
    for (const [hash, tombstone] of this.#tombstones) if (tombstone.expiresAt <= now) this.#tombstones.delete(hash);
    return removed;
  }

  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return liveSessionsOf([...this.#rows.values()], userId, now).map(copy);
  }

  async deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    const doomed = [...this.#rows.values()].filter((row) => isDoomed(row, userId, options));
    return doomed.filter((row) => this.#end(row.tokenHash, options.reason)).length;
  }

  async listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage> {
    const page = pageOfLiveSessions(this.#rows.values(), now, query);
    return { ...page, records: page.records.map(copy) };
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const row = [...this.#rows.values()].find((record) => record.id === id);
    return row ? copy(row) : null;
  }
}
