import type { Pool, PoolClient, QueryConfig, QueryResultRow } from "pg";
import {
  type DeleteForUserOptions,
  type EndReason,
  type LiveSessionPage,
  type LiveSessionQuery,
  mergeRecord,
  type NewKey,
  rotateRecord,
  type SessionChanges,
  type SessionRecord,
} from "../record";
import type { Log, SessionStore } from "../store";
import { clearInBatches, KeyedQueue } from "./concurrency";
import { fromStored, parseJsonArray, toStored } from "./record-codec";

const COLUMNS = [
  "id",
  "tokenHash",
  "userId",
  "data",
  "createdAt",
  "lastSeenAt",
  "expiresAt",
  "absoluteExpiresAt",
  "persistent",
  "expiryAge",
  "expiryDate",
  "passwordConfirmedAt",
  "events",
  "userAgent",
  "ip",
] as const;
/** What a save may change: everything but the keys and the creation time. A rotation changes those too. */
const UPDATED = COLUMNS.filter((column) => !["id", "tokenHash", "createdAt"].includes(column));
const ROTATED = ["id", "tokenHash", "createdAt", ...UPDATED] as const;
const assignments = (columns: readonly string[]): string =>
  columns.map((column, i) => `"${column}" = $${i + 2}`).join(", ");
const QUOTED = COLUMNS.map((column) => `"${column}"`).join(", ");
const PLACEHOLDERS = COLUMNS.map((_, i) => `$${i + 1}`).join(", ");
const LIVE = `"expiresAt" > $2 AND "absoluteExpiresAt" > $2`;

/**
 * Named statements: node-postgres prepares each once per connection and then sends only its
 * name and values. Timestamps go in as ISO text and come out as ISO text (lib/db/client.ts), so
 * that a `timestamp(3)` column, which Prisma fills with UTC, never meets the server's time zone.
 */
const SQL = {
  load: `SELECT * FROM "Session" WHERE "tokenHash" = $1`,
  loadForUpdate: `SELECT * FROM "Session" WHERE "tokenHash" = $1 FOR UPDATE`,
  version: `SELECT "version" FROM "Session" WHERE "tokenHash" = $1`,
  exists: `SELECT 1 FROM "Session" WHERE "tokenHash" = $1`,
  insert: `INSERT INTO "Session" (${QUOTED}) VALUES (${PLACEHOLDERS})`,
  update: `UPDATE "Session" SET ${assignments(UPDATED)}, "version" = "version" + 1 WHERE "tokenHash" = $1`,
  // The row moves to its new key in place rather than by delete and insert: a "log out everywhere"
  // that waits on the row's lock then re-checks the moved row and deletes it, where it would not
  // see a newly inserted one.
  rotate: `UPDATE "Session" SET ${assignments(ROTATED)}, "version" = "version" + 1 WHERE "tokenHash" = $1`,
  // Deletes the rows and, with a reason, leaves their tombstones, in one statement.
  end: `WITH gone AS (
      DELETE FROM "Session" WHERE "tokenHash" = ANY($1::text[]) RETURNING "tokenHash", "expiresAt"
    ), tombstones AS (
      INSERT INTO "SessionTombstone" ("tokenHash", "reason", "expiresAt")
      SELECT "tokenHash", $2, "expiresAt" FROM gone WHERE $2::text IS NOT NULL
      ON CONFLICT ("tokenHash") DO UPDATE SET "reason" = excluded."reason", "expiresAt" = excluded."expiresAt"
    ) SELECT "tokenHash" FROM gone`,
  // A user's sessions, chosen and deleted in the same statement, so a rotation cannot slip between.
  endForUser: `WITH gone AS (
      DELETE FROM "Session" WHERE "userId" = $1 AND "tokenHash" IS DISTINCT FROM $2
        AND ($3::text IS NULL OR "id" = $3) RETURNING "tokenHash", "expiresAt"
    ), tombstones AS (
      INSERT INTO "SessionTombstone" ("tokenHash", "reason", "expiresAt")
      SELECT "tokenHash", $4, "expiresAt" FROM gone
      ON CONFLICT ("tokenHash") DO UPDATE SET "reason" = excluded."reason", "expiresAt" = excluded."expiresAt"
    ) SELECT "tokenHash" FROM gone`,
  endReason: `SELECT "reason" FROM "SessionTombstone" WHERE "tokenHash" = $1 AND "expiresAt" > $2`,
  // The admin's pages: every live session, newest (highest UUIDv7) first, or those of the users in $2.
  // expiresAt alone decides liveness, as in db.ts: it is never the later of the two expiries.
  livePage: `SELECT * FROM "Session" WHERE "expiresAt" > $1 ORDER BY "id" DESC LIMIT $2 OFFSET $3`,
  liveCount: `SELECT count(*)::int AS "total" FROM "Session" WHERE "expiresAt" > $1`,
  usersLivePage: `SELECT * FROM "Session" WHERE "userId" = ANY($2) AND "expiresAt" > $1
    ORDER BY "id" DESC LIMIT $3 OFFSET $4`,
  usersLiveCount: `SELECT count(*)::int AS "total" FROM "Session" WHERE "userId" = ANY($2) AND "expiresAt" > $1`,
  byId: `SELECT * FROM "Session" WHERE "id" = $1`,
  forUser: `SELECT * FROM "Session" WHERE "userId" = $1 AND ${LIVE} ORDER BY "lastSeenAt" DESC`,
  // Rows a save holds are skipped, not waited for: that save may be extending them.
  clearBatch: `DELETE FROM "Session" WHERE "id" IN (SELECT "id" FROM "Session" WHERE "expiresAt" <= $1
    ORDER BY "expiresAt" LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  clearTombstones: `DELETE FROM "SessionTombstone" WHERE "tokenHash" IN (SELECT "tokenHash" FROM "SessionTombstone"
    WHERE "expiresAt" <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
} as const;

type Statement = keyof typeof SQL;
type Queryable = Pick<Pool | PoolClient, "query">;

/**
 * The `db` engine on PostgreSQL: the same Session table and the same rules as DbSessionStore on
 * SQLite, through node-postgres. A save is one transaction that locks the row (`SELECT … FOR
 * UPDATE`), merges and writes, so parallel saves of different keys through any server all survive.
 */
export class PostgresSessionStore implements SessionStore {
  /**
   * Saves to one session from this process wait their turn here rather than at the row lock, so
   * parallel writes to one session hold one pooled connection, not every one the pool has.
   */
  readonly #queue = new KeyedQueue();

  constructor(
    private readonly pool: Pool,
    private readonly log: Log = console.warn,
  ) {}

  async load(tokenHash: string): Promise<SessionRecord | null> {
    return this.#toRecord(await this.#one("load", [tokenHash]));
  }

  /** The row with its version, which every update bumps: what an in-process cache may keep. */
  async loadVersioned(tokenHash: string): Promise<{ record: SessionRecord; version: number } | null> {
    const row = await this.#one("load", [tokenHash]);
    const record = this.#toRecord(row);
    return record && row ? { record, version: Number(row.version) } : null;
  }

  async versionOf(tokenHash: string): Promise<number | null> {
    const row = await this.#one("version", [tokenHash]);
    return row ? Number(row.version) : null;
  }

  async exists(tokenHash: string): Promise<boolean> {
    return (await this.#one("exists", [tokenHash])) !== null;
  }

  async create(record: SessionRecord): Promise<void> {
    await this.#run(this.pool, "insert", valuesOf(record, COLUMNS));
  }

  save(tokenHash: string, changes: SessionChanges): Promise<SessionRecord | null> {
    return this.#queue.run(tokenHash, () =>
      this.#transaction(async (client) => {
        const current = this.#toRecord((await this.#run(client, "loadForUpdate", [tokenHash])).rows[0]);
        if (!current) return null;
        const merged = mergeRecord(current, changes);
        await this.#run(client, "update", [tokenHash, ...valuesOf(merged, UPDATED)]);
        return merged;
      }),
    );
  }

  /** One transaction: lock the old row, merge, and move it to the new key. */
  rotate(oldTokenHash: string, key: NewKey, changes: SessionChanges): Promise<SessionRecord | null> {
    return this.#queue.run(oldTokenHash, () =>
      this.#transaction(async (client) => {
        const current = this.#toRecord((await this.#run(client, "loadForUpdate", [oldTokenHash])).rows[0]);
        if (!current) return null;
        const next = rotateRecord(current, key, changes);
        await this.#run(client, "rotate", [oldTokenHash, ...valuesOf(next, ROTATED)]);
        return next;
      }),
    );
  }

  async delete(tokenHash: string, reason?: EndReason): Promise<void> {
    await this.#run(this.pool, "end", [[tokenHash], reason ?? null]);
  }

  async endReason(tokenHash: string): Promise<EndReason | null> {
    const row = await this.#one("endReason", [tokenHash, new Date().toISOString()]);
    return (row?.reason as EndReason | undefined) ?? null;
  }

  /**
   * Deletes expired rows in batches, each its own short transaction that skips rows a save holds,
   * so no request waits behind the clearing of a million rows.
   */
  async clearExpired(now: Date): Promise<number> {
    const cutoff = now.toISOString();
    const removed = await clearInBatches(
      async (size) => (await this.#run(this.pool, "clearBatch", [cutoff, size])).rowCount ?? 0,
    );
    await clearInBatches(async (size) => (await this.#run(this.pool, "clearTombstones", [cutoff, size])).rowCount ?? 0);
    return removed;
  }

  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    const { rows } = await this.#run(this.pool, "forUser", [userId, now.toISOString()]);
    return rows.map((row) => this.#toRecord(row)).filter((record) => record !== null);
  }

  async deleteForUser(userId: string, options: DeleteForUserOptions): Promise<number> {
    return (await this.endForUser(userId, options)).ended;
  }

  /** The page and the count, read in one snapshot so that they agree. */
  async listLive(now: Date, query: LiveSessionQuery): Promise<LiveSessionPage> {
    const filter = query.userIds ? [now.toISOString(), query.userIds] : [now.toISOString()];
    const [page, count] = query.userIds
      ? (["usersLivePage", "usersLiveCount"] as const)
      : (["livePage", "liveCount"] as const);
    return this.#transaction(
      async (client) => ({
        records: (await this.#run(client, page, [...filter, query.limit, query.offset])).rows
          .map((row) => this.#toRecord(row))
          .filter((record) => record !== null),
        total: Number((await this.#run(client, count, filter)).rows[0]?.total ?? 0),
      }),
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    );
  }

  async findById(id: string): Promise<SessionRecord | null> {
    return this.#toRecord(await this.#one("byId", [id]));
  }

  /** deleteForUser, also naming the token hashes it ended, so a cache in front can evict exactly those. */
  async endForUser(userId: string, options: DeleteForUserOptions): Promise<{ ended: number; hashes: string[] }> {
    const { rows } = await this.#run(this.pool, "endForUser", [
      userId,
      options.exceptTokenHash ?? null,
      options.id ?? null,
      options.reason,
    ]);
    const hashes = rows.map((row) => String(row.tokenHash));
    return { ended: hashes.length, hashes };
  }

  async #one(statement: Statement, values: unknown[]): Promise<QueryResultRow | null> {
    return (await this.#run(this.pool, statement, values)).rows[0] ?? null;
  }

  #run(
    on: Queryable,
    statement: Statement,
    values: unknown[],
  ): Promise<{ rows: QueryResultRow[]; rowCount: number | null }> {
    const query: QueryConfig = { name: `session-${statement}`, text: SQL[statement], values };
    return on.query(query);
  }

  /**
   * Runs `work` in one transaction on a client of its own. A pooled client has no listener for a
   * connection lost mid-transaction (the pool removes its own while the client is lent out), and an
   * unheard 'error' event would end the process: so this one logs it, and a client that failed is
   * destroyed rather than returned to the pool.
   */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    const onError = (error: Error): void => {
      broken = true;
      this.log(`[sesame] PostgreSQL connection lost: ${error.message}`);
    };
    client.on("error", onError);
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken || undefined);
    }
  }

  #toRecord(row: QueryResultRow | null | undefined): SessionRecord | null {
    if (!row) return null;
    return fromStored({ ...row, events: parseJsonArray(row.events) }, this.log, String(row.id));
  }
}

/** A record's values for these columns, in their order. */
function valuesOf(record: SessionRecord, columns: readonly (typeof COLUMNS)[number][]): unknown[] {
  const row: Record<(typeof COLUMNS)[number], unknown> = { ...toStored(record), events: JSON.stringify(record.events) };
  return columns.map((column) => row[column]);
}
