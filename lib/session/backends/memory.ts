import { mergeData, type SessionChanges, type SessionRecord, type SessionStore } from "../store";
import { serializeData } from "../json";

const copy = (record: SessionRecord): SessionRecord => structuredClone(record);

/** An in-process store: the reference for the contract suite, and handy in unit tests. */
export class MemorySessionStore implements SessionStore {
  readonly engine = "memory";
  readonly #rows = new Map<string, SessionRecord>();

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
    const data = mergeData(row.data, changes);
    serializeData(data);
    const next = { ...row, ...changes.meta, data };
    this.#rows.set(tokenHash, copy(next));
    return copy(next);
  }

  async delete(tokenHash: string): Promise<void> {
    this.#rows.delete(tokenHash);
  }

  async clearExpired(now: Date): Promise<number> {
    let removed = 0;
    for (const [hash, row] of this.#rows) {
      if (row.expiresAt <= now) {
        this.#rows.delete(hash);
        removed += 1;
      }
    }
    return removed;
  }
}
