import type { Database } from "../../db/client";
import { SessionConflictError } from "../errors";
import { parseData, serializeData } from "../json";
import {
  appendEvents,
  mergeData,
  type EndReason,
  type SessionChanges,
  type SessionEvent,
  type SessionRecord,
  type SessionStore,
} from "../store";

type Row = NonNullable<Awaited<ReturnType<Database["session"]["findUnique"]>>>;

const MAX_ATTEMPTS = 50;
/** Expired rows are deleted this many at a time, so no single statement holds the database long. */
export const CLEAR_BATCH_SIZE = 5_000;

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
    await this.db.session.create({
      data: { ...record, data: serializeData(record.data), events: JSON.stringify(record.events) },
    });
  }

  save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    const previous = this.#queues.get(tokenHash) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#merge(tokenHash, changes));
    this.#queues.set(tokenHash, next);
    void next
      .finally(() => {
        if (this.#queues.get(tokenHash) === next) this.#queues.delete(tokenHash);
      })
      .catch(() => undefined);
    return next;
  }

  /** Optimistic concurrency: merge into the row as read, write only if nobody wrote since. */
  async #merge(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await this.db.session.findUnique({ where: { tokenHash } });
      if (!row) return null;
      const current = this.#toRecord(row);
      const data = mergeData(current.data, changes);
      const events = appendEvents(current.events, changes.events);
      const { count } = await this.db.session.updateMany({
        where: { tokenHash, version: row.version },
        data: { ...changes.meta, data: serializeData(data), events: JSON.stringify(events), version: { increment: 1 } },
      });
      if (count === 1) return { ...current, ...changes.meta, data, events };
      // Another process wrote first: back off a little, with jitter, so the retries spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
    }
    throw new SessionConflictError("The session kept changing under this save; try again.");
  }

  async delete(tokenHash: string, reason?: EndReason): Promise<void> {
    const row = await this.db.session.findUnique({ where: { tokenHash }, select: { expiresAt: true } });
    if (!row) return;
    await this.#end([{ tokenHash, expiresAt: row.expiresAt }], reason);
  }

  async endReason(tokenHash: string): Promise<EndReason | null> {
    const tombstone = await this.db.sessionTombstone.findUnique({ where: { tokenHash } });
    return tombstone && tombstone.expiresAt > new Date() ? (tombstone.reason as EndReason) : null;
  }

  async clearExpired(now: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      // A bounded batch per statement; other requests get the database between batches.
      const count = await this.db.$executeRaw`
        DELETE FROM "Session" WHERE "id" IN (
          SELECT "id" FROM "Session" WHERE "expiresAt" <= ${now} LIMIT ${CLEAR_BATCH_SIZE}
        )`;
      removed += count;
      if (count < CLEAR_BATCH_SIZE) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.db.sessionTombstone.deleteMany({ where: { expiresAt: { lte: now } } });
    return removed;
  }

  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    const rows = await this.db.session.findMany({
      where: { userId, expiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
      orderBy: { lastSeenAt: "desc" },
    });
    return rows.map((row) => this.#toRecord(row));
  }

  async deleteForUser(
    userId: string,
    options: { reason: EndReason; id?: string; exceptTokenHash?: string },
  ): Promise<number> {
    return (await this.endForUser(userId, options)).ended;
  }

  /** deleteForUser, also naming the token hashes it ended, so a cache in front can evict exactly those. */
  async endForUser(
    userId: string,
    options: { reason: EndReason; id?: string; exceptTokenHash?: string },
  ): Promise<{ ended: number; hashes: string[] }> {
    const rows = await this.db.session.findMany({
      where: {
        userId,
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.exceptTokenHash === undefined ? {} : { tokenHash: { not: options.exceptTokenHash } }),
      },
      select: { tokenHash: true, expiresAt: true },
    });
    return { ended: await this.#end(rows, options.reason), hashes: rows.map((row) => row.tokenHash) };
  }

  /** Deletes sessions and, with a reason, leaves a tombstone for each until it would have expired. */
  async #end(rows: { tokenHash: string; expiresAt: Date }[], reason: EndReason | undefined): Promise<number> {
    if (rows.length === 0) return 0;
    const hashes = rows.map((row) => row.tokenHash);
    const [{ count }] = await this.db.$transaction([
      this.db.session.deleteMany({ where: { tokenHash: { in: hashes } } }),
      ...(reason
        ? rows.map((row) =>
            this.db.sessionTombstone.upsert({
              where: { tokenHash: row.tokenHash },
              create: { tokenHash: row.tokenHash, reason, expiresAt: row.expiresAt },
              update: { reason, expiresAt: row.expiresAt },
            }),
          )
        : []),
    ]);
    return count;
  }

  #toRecord(row: Row): SessionRecord {
    const { data: text, events: eventsText, version: _version, ...rest } = row;
    const data = parseData(text);
    if (data === null) this.log(`[sesame] session ${row.id}: stored data is corrupt; serving it as empty.`);
    return { ...rest, data: data ?? {}, events: parseEvents(eventsText) };
  }
}

function parseEvents(text: string): SessionEvent[] {
  try {
    const events: unknown = JSON.parse(text);
    return Array.isArray(events) ? (events as SessionEvent[]) : [];
  } catch {
    return [];
  }
}
