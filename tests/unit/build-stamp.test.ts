import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isBuildCurrent, sourceFiles, sourceHash, writeStamp } from "../../scripts/build-if-changed.mjs";

/** A project folder as `npm start` finds it: sources, a build, and things the build never reads. */
let root: string;

function write(relative: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "sesame-stamp-"));
  write("package.json", '{"name":"sesame"}');
  write("app/page.tsx", "export default function Page() {}");
  write("lib/session/session.ts", "export class Session {}");
  write(".next/BUILD_ID", "build-1");
  write("node_modules/next/index.js", "module.exports = {}");
  write("docs/security.md", "# Security");
  write("e2e/login.spec.ts", "test()");
  write("prisma/sesame.db", "rows");
  write("prisma/schema.prisma", "model User {}");
  write("lib/generated/prisma/client.ts", "export const config = { a: 1, b: 2 };");
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("build-if-changed", () => {
  it("hashes the sources, not dependencies, output, tests, documentation, the database or the generated client", () => {
    expect(sourceFiles(root)).toEqual([
      "app/page.tsx",
      "lib/session/session.ts",
      "package.json",
      "prisma/schema.prisma",
    ]);
  });

  it("finds no current build before one has been stamped", () => {
    expect(isBuildCurrent(root, sourceHash(root))).toBe(false);
  });

  it("serves the stamped build while the sources stay the same, whatever else changes", () => {
    writeStamp(root, sourceHash(root));
    expect(isBuildCurrent(root, sourceHash(root))).toBe(true);
    write("docs/security.md", "# Security, revised");
    write("e2e/login.spec.ts", "test('again')");
    write("prisma/sesame.db", "more rows");
    write("node_modules/next/index.js", "module.exports = { changed: true }");
    // npm install regenerates the Prisma client, sometimes with its keys in another order.
    write("lib/generated/prisma/client.ts", "export const config = { b: 2, a: 1 };");
    expect(isBuildCurrent(root, sourceHash(root))).toBe(true);
  });

  it("builds again after a source file changes, or a new one appears", () => {
    writeStamp(root, sourceHash(root));
    write("app/page.tsx", "export default function Page() { return null; }");
    expect(isBuildCurrent(root, sourceHash(root))).toBe(false);

    write("app/page.tsx", "export default function Page() {}");
    expect(isBuildCurrent(root, sourceHash(root))).toBe(true);
    write("components/new.tsx", "export {}");
    expect(isBuildCurrent(root, sourceHash(root))).toBe(false);

    // A schema change regenerates the client: the schema itself is hashed.
    writeStamp(root, sourceHash(root));
    write("prisma/schema.prisma", "model User { id String @id }");
    expect(isBuildCurrent(root, sourceHash(root))).toBe(false);
  });

  it("builds again when .next holds another build than the stamped one", () => {
    writeStamp(root, sourceHash(root));
    write(".next/BUILD_ID", "build-2"); // a plain `next build`, or the tests' own
    expect(isBuildCurrent(root, sourceHash(root))).toBe(false);
    rmSync(path.join(root, ".next"), { recursive: true });
    expect(isBuildCurrent(root, sourceHash(root))).toBe(false);
  });
});
