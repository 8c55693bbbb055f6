import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTargetOf } from "@/lib/config/database.mjs";
import { childEnv } from "@/lib/config/tooling.mjs";
import { applyMigrations } from "@/lib/db/migrations.mjs";
import { startPostgres, type ThrowawayPostgres } from "@/scripts/throwaway-postgres.mjs";

// A Prisma schema names one provider, so SQLite and PostgreSQL each have a schema file and migrations
// of their own. These tests keep the two in step: the same models, and the same tables once migrated.

const ROOT = path.resolve(import.meta.dirname, "../..");
const SQLITE_SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
const POSTGRES_SCHEMA = path.join(ROOT, "prisma", "postgresql", "schema.prisma");

interface Block {
  kind: string;
  name: string;
  body: string;
}

/** The top-level blocks of a schema (model, generator, datasource…), comments dropped, whitespace collapsed. */
function readBlocks(file: string): Block[] {
  const text = readFileSync(file, "utf8")
    .split("\n")
    // `//` and `///` comments; no string in these schemas holds "//".
    .map((line) => line.replace(/\/\/.*$/, "").trim())
    .filter(Boolean)
    .join("\n");
  return [...text.matchAll(/^(\w+)\s+(\w+)\s*\{\n([\s\S]*?)\n\}/gm)].map(([, kind = "", name = "", body = ""]) => ({
    kind,
    name,
    body: body
      .split("\n")
      .map((line) => line.replace(/\s+/g, " "))
      .join("\n"),
  }));
}

/** `key = value` lines of a generator or datasource block. */
function readSettings(block: Block | undefined): Record<string, string> {
  const lines = (block?.body ?? "").split("\n").map((line) => /^(\w+) = (.+)$/.exec(line));
  return Object.fromEntries(lines.flatMap((match) => (match ? [[match[1], match[2]]] : [])));
}

describe("the SQLite and PostgreSQL schema files", () => {
  const sqlite = readBlocks(SQLITE_SCHEMA);
  const postgres = readBlocks(POSTGRES_SCHEMA);
  const models = (blocks: Block[]): Block[] =>
    blocks.filter((block) => block.kind !== "generator" && block.kind !== "datasource");

  it("describe the same models, field by field and attribute by attribute", () => {
    expect(models(sqlite).map((block) => block.name)).toEqual(["User", "Session", "SessionTombstone", "RateLimit"]);
    expect(models(postgres)).toEqual(models(sqlite));
  });

  it("notices a difference: a field changed in one copy only makes the models differ", () => {
    const changed = models(postgres).map((block) =>
      block.name === "Session" ? { ...block, body: block.body.replace("expiryAge Int?", "expiryAge BigInt?") } : block,
    );
    expect(changed).not.toEqual(models(sqlite));
  });

  it("differ only in the provider and where the client is generated", () => {
    const datasource = (blocks: Block[]): Record<string, string> =>
      readSettings(blocks.find((block) => block.kind === "datasource"));
    const generator = (blocks: Block[]): Record<string, string> =>
      readSettings(blocks.find((block) => block.kind === "generator"));
    expect(datasource(sqlite)).toEqual({ provider: '"sqlite"', url: '"<invalid>"' });
    expect(datasource(postgres)).toEqual({ provider: '"postgresql"', url: '"<invalid>"' });
    const { output: sqliteOutput, ...sqliteOptions } = generator(sqlite);
    const { output: postgresOutput, ...postgresOptions } = generator(postgres);
    expect(postgresOptions).toEqual(sqliteOptions);
    const outputOf = (schema: string, output: string | undefined): string =>
      path.relative(ROOT, path.resolve(path.dirname(schema), JSON.parse(output ?? '""') as string));
    expect(outputOf(SQLITE_SCHEMA, sqliteOutput)).toBe(path.join("lib", "generated", "prisma"));
    // lib/db/client.ts imports the PostgreSQL client from there.
    expect(outputOf(POSTGRES_SCHEMA, postgresOutput)).toBe(path.join("lib", "generated", "prisma-postgresql"));
  });
});

/** What the migrations built, in terms both databases share (names, nullability, indexes, foreign keys), and types. */
interface Shape {
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
  /** "name type default", in the database's own words: only comparable with the same database. */
  types: string[];
}

/** The shape without the types, which differ between SQLite and PostgreSQL by nature. */
function withoutTypes(tables: Record<string, Shape>): Record<string, Omit<Shape, "types">> {
  return Object.fromEntries(Object.entries(tables).map(([table, { types: _types, ...shape }]) => [table, shape]));
}

/** Each table's columns ("name" or "name?" when nullable), indexes ("unique (a, b)") and foreign keys. */
function describeSqlite(file: string): Record<string, Shape> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => {
        const columns = db
          .prepare('SELECT name, type, dflt_value, "notnull", pk FROM pragma_table_info(?)')
          .all(table) as {
          name: string;
          type: string;
          dflt_value: string | null;
          notnull: number;
          pk: number;
        }[];
        const indexes = db.prepare('SELECT name, "unique" FROM pragma_index_list(?)').all(table) as {
          name: string;
          unique: number;
        }[];
        const foreignKeys = db
          .prepare('SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?)')
          .all(table) as { from: string; table: string; to: string; on_delete: string }[];
        return [
          table,
          {
            // SQLite lets a primary key column hold NULL unless it says NOT NULL; Prisma's ids are never null.
            columns: columns.map((c) => (c.notnull || c.pk ? c.name : `${c.name}?`)).sort(),
            indexes: indexes
              .map((index) => {
                const names = db
                  .prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                  .pluck()
                  .all(index.name);
                return `${index.unique ? "unique " : ""}(${names.join(", ")})`;
              })
              .sort(),
            foreignKeys: foreignKeys.map((fk) => `${fk.from} -> ${fk.table}.${fk.to} on delete ${fk.on_delete}`).sort(),
            types: columns.map((c) => `${c.name} ${c.type} ${c.dflt_value}`).sort(),
          },
        ];
      }),
    );
  } finally {
    db.close();
  }
}

async function describePostgresTables(url: string): Promise<Record<string, Shape>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ table: string; column: string; nullable: string; type: string }>(
      `SELECT table_name AS table, column_name AS column, is_nullable AS nullable,
              format('%s %s', format_type(atttypid, atttypmod), column_default) AS type
       FROM information_schema.columns
       JOIN pg_attribute ON attrelid = format('%I.%I', table_schema, table_name)::regclass AND attname = column_name
       WHERE table_schema = current_schema()`,
    );
    const indexes = await client.query<{ table: string; unique: boolean; columns: string[] }>(
      `SELECT t.relname AS table, ix.indisunique AS unique,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = current_schema()
       GROUP BY t.relname, ix.indexrelid, ix.indisunique`,
    );
    const foreignKeys = await client.query<{
      table: string;
      from: string;
      to_table: string;
      to: string;
      action: string;
    }>(
      `SELECT t.relname AS table, a.attname AS from, rt.relname AS to_table, ra.attname AS to,
              CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                                 WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS action
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_class rt ON rt.oid = c.confrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
       WHERE c.contype = 'f' AND n.nspname = current_schema()`,
    );
    const tables: Record<string, Shape> = {};
    const shapeOf = (table: string): Shape =>
      (tables[table] ??= { columns: [], indexes: [], foreignKeys: [], types: [] });
    for (const c of columns.rows) {
      shapeOf(c.table).columns.push(c.nullable === "YES" ? `${c.column}?` : c.column);
      shapeOf(c.table).types.push(`${c.column} ${c.type}`);
    }
    for (const i of indexes.rows)
      shapeOf(i.table).indexes.push(`${i.unique ? "unique " : ""}(${i.columns.join(", ")})`);
    for (const f of foreignKeys.rows)
      shapeOf(f.table).foreignKeys.push(`${f.from} -> ${f.to_table}.${f.to} on delete ${f.action}`);
    for (const shape of Object.values(tables)) {
      shape.columns.sort();
      shape.indexes.sort();
      shape.foreignKeys.sort();
      shape.types.sort();
    }
    return Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1)));
  } finally {
    await client.end();
  }
}

describe("the SQLite and PostgreSQL migrations, applied by applyMigrations", () => {
  let postgres: ThrowawayPostgres;
  let dir: string;
  beforeAll(async () => {
    postgres = await startPostgres();
    dir = mkdtempSync(path.join(os.tmpdir(), "sesame-schemas-"));
  });
  afterAll(() => {
    postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("build the same tables, columns, indexes and foreign keys", async () => {
    const file = path.join(dir, "sesame.db");
    const url = await postgres.createDatabase("same_tables");
    await applyMigrations(databaseTargetOf(`file:${file}`));
    await applyMigrations(databaseTargetOf(url));

    const inSqlite = describeSqlite(file);
    const inPostgres = await describePostgresTables(url);
    // Every model, and Prisma's own record of the migrations.
    expect(Object.keys(inSqlite).sort()).toEqual([
      "RateLimit",
      "Session",
      "SessionTombstone",
      "User",
      "_prisma_migrations",
    ]);
    expect(inSqlite.Session?.indexes).toEqual(["(expiresAt)", "(userId)", "unique (id)", "unique (tokenHash)"]);
    expect(inSqlite.Session?.foreignKeys).toEqual(["userId -> User.id on delete CASCADE"]);
    expect(withoutTypes(inPostgres)).toEqual(withoutTypes(inSqlite));
  }, 60_000);

  // The models match (above), so this keeps each schema and its own migrations in step: a model
  // changed without a migration, on either side, shows here.
  it.each([
    ["SQLite", SQLITE_SCHEMA],
    ["PostgreSQL", POSTGRES_SCHEMA],
  ])(
    "%s: the migrations build exactly what the schema file describes, types and defaults included",
    async (name, schema) => {
      const diff = spawnSync(
        path.join(ROOT, "node_modules", ".bin", "prisma"),
        ["migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"],
        { cwd: ROOT, encoding: "utf8", env: childEnv() },
      );
      expect(diff.status).toBe(0);
      const fromSchema: Record<string, Shape> = {};
      const fromMigrations: Record<string, Shape> = {};
      if (name === "SQLite") {
        const direct = path.join(dir, "direct.db");
        const migrated = path.join(dir, "migrated.db");
        const db = new Database(direct);
        db.exec(diff.stdout);
        db.close();
        await applyMigrations(databaseTargetOf(`file:${migrated}`));
        Object.assign(fromSchema, describeSqlite(direct));
        Object.assign(fromMigrations, describeSqlite(migrated));
      } else {
        const direct = await postgres.createDatabase("direct");
        const migrated = await postgres.createDatabase("migrated");
        const client = new pg.Client({ connectionString: direct });
        await client.connect();
        await client.query(diff.stdout);
        await client.end();
        await applyMigrations(databaseTargetOf(migrated));
        Object.assign(fromSchema, await describePostgresTables(direct));
        Object.assign(fromMigrations, await describePostgresTables(migrated));
      }
      delete fromMigrations._prisma_migrations;
      expect(Object.keys(fromSchema)).toEqual(["RateLimit", "Session", "SessionTombstone", "User"]);
      expect(fromMigrations).toEqual(fromSchema);
    },
    60_000,
  );
});
