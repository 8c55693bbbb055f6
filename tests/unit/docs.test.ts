import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "@/lib/config/env";
import { SERVER_SETTING_NAMES } from "@/lib/config/server.mjs";

/** The README and the documents it links: a clone must hold every file they point to. */
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const DOCUMENTS = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** Targets of Markdown links and images that are files, not web addresses or anchors on the page. */
function fileTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => decodeURIComponent(target.split("#")[0] ?? ""));
}

describe.each(DOCUMENTS)("%s", (document) => {
  const markdown = readFileSync(path.join(ROOT, document), "utf8");

  it("links only files that are in the repository", () => {
    for (const target of fileTargets(markdown)) {
      const file = path.resolve(ROOT, path.dirname(document), target);
      expect(path.relative(ROOT, file).startsWith(".."), `${target} is outside the repository`).toBe(false);
      expect(existsSync(file), `${target} does not exist`).toBe(true);
    }
  });

  it("names only files that exist, when it names one in code type", () => {
    // `lib/session/session.ts`, `e2e/security.spec.ts`: paths into the tree, which a rename must update.
    // Generated files (under .tmp/) are named before they exist.
    const named = [
      ...markdown.matchAll(/`((?:app|bench|components|docs|e2e|lib|prisma|scripts|tests)\/[\w./[\]-]+)`/g),
    ].map((m) => m[1] ?? "");
    for (const name of named.filter((n) => !n.includes("/.tmp")))
      expect(existsSync(path.join(ROOT, name.replace(/\/$/, ""))), `${name} does not exist`).toBe(true);
  });

  it("names no file outside the repository", () => {
    expect(markdown.match(/`\.\.\/[^`]*`/g) ?? []).toEqual([]);
  });
});

describe("the configuration's documentation", () => {
  const documented = [...new Set([...SETTING_NAMES, ...SERVER_SETTING_NAMES])].filter((name) => name !== "NODE_ENV");
  const example = readFileSync(path.join(ROOT, ".env.example"), "utf8");
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

  it.each(documented)("%s is in .env.example and in the README's table", (name) => {
    expect(example).toMatch(new RegExp(`^#? ?${name}=`, "m"));
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, "m"));
  });
});
