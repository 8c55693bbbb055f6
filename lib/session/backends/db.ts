import type { Database } from "../../db/client";
import { SessionConflictError } from "../errors";
import { parseData, serializeData } from "../json";
import { mergeData, type SessionChanges, type SessionRecord, type SessionStore } from "../store";

type Row = Awaited<ReturnType<Database["session"]["findUnique"]>> & {};

const MAX_ATTEMPTS = 20;

/** Django's `backends/db.py`: sessions in the Prisma Session table. */
export class DbSessionStore implements SessionStore {
  readonly engine = "db";
  /** Saves to one session queue up in this process, so retries are for other processes only. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly log: (message: string) => void = console.warn,
  ) {}

  async load(tokenHash: string): Promise<SessionRecord | null> {
    const row = await this.db.session.findUnique({ where: { tokenHash } });
    return row ? this.#toRecord(row) : null;
  }

  async exists(tokenHash: string): Promise<boolean> {
    return (await this.db.session.count({ where: { tokenHash } })) > 0;
  }

  async create(record: SessionRecord): Promise<void> {
    await this.db.session.create({ data: { ...record, data: serializeData(record.data) } });
  }

  save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    const previous = this.#queues.get(tokenHash) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#merge(tokenHash, changes));
    this.#queues.set(tokenHash, next);
    void next.finally(() => {
      if (this.#queues.get(tokenHash) === next) this.#queues.delete(tokenHash);
    }).catch(() => undefined);
    return next;
  }

  /** Optimistic concurrency: merge into the row as read, write only if nobody wrote since. */
  async #merge(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await this.db.session.findUnique({ where: { tokenHash } });
      if (!row) return null;
      const current = this.#toRecord(row);
      const data = mergeData(current.data, changes);
      const { count } = await this.db.session.updateMany({
        where: { tokenHash, version: row.version },
        data: { ...changes.meta, data: serializeData(data), version: { increment: 1 } },
      });
      if (count === 1) return { ...current, ...changes.meta, data };
    }
    throw new SessionConflictError("The session kept changing under this save; try again.");
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.session.deleteMany({ where: { tokenHash } });
  }

  async clearExpired(now: Date): Promise<number> {
    const { count } = await this.db.session.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }

  #toRecord(row: Row): SessionRecord {
    const { data: text, version: _version, ...rest } = row;
    const data = parseData(text);
    if (data === null) this.log(`[sesame] session ${row.id}: stored data is corrupt; serving it as empty.`);
    return { ...rest, data: data ?? {} };
  }
}
