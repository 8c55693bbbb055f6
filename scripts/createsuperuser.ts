// `npm run createsuperuser`: Django's `createsuperuser`. It asks for an email and, for a new account,
// a password twice (hidden as it is typed), checked by the same rules as a registration. An email
// that already has an account is promoted, its password left as it is. `-- --no-input` takes them
// from SUPERUSER_EMAIL and SUPERUSER_PASSWORD instead, as Django's --noinput does.
import { createInterface, type Interface } from "node:readline";
import nextEnv from "@next/env";
import { emailSchema, newPasswordSchema } from "../lib/auth/schemas";
import { promoteToSuperuser, registerUser } from "../lib/auth/users";
import { getSettings } from "../lib/config/env";
import { orExit } from "../lib/config/parse.mjs";
import { getTooling } from "../lib/config/tooling.mjs";
import { openDatabase, type Database } from "../lib/db/client";
import { pendingMigrations, pendingMigrationsMessage } from "../lib/db/migrations.mjs";

nextEnv.loadEnvConfig(process.cwd());

/** A refusal meant for the person at the keyboard: printed as it is, with exit code 1. */
class Refusal extends Error {}

/** Reads answers from the terminal, or from piped lines; a hidden question echoes nothing. */
function openPrompt(): { ask: (question: string, hidden?: boolean) => Promise<string>; close: () => void } {
  let muted = false;
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  // readline echoes what is typed through this method; while a password is typed it writes nothing.
  const echo = rl as unknown as { _writeToOutput: (text: string) => void };
  const write = echo._writeToOutput.bind(rl);
  echo._writeToOutput = (text) => {
    if (!muted) write(text);
  };
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  rl.on("line", (line) => (waiting.length > 0 ? waiting.shift()?.(line) : lines.push(line)));
  rl.on("close", () => waiting.splice(0).forEach((resolve) => resolve(null)));
  return {
    async ask(question, hidden = false) {
      process.stdout.write(question);
      muted = hidden;
      const line = lines.length > 0 ? lines.shift() : await new Promise<string | null>((r) => waiting.push(r));
      muted = false;
      if (hidden) process.stdout.write("\n");
      if (line === null || line === undefined) throw new Refusal("Cancelled: no answer was given.");
      return line;
    },
    close: () => rl.close(),
  };
}

/** The first message zod gives for a value, or null when it passes. */
function problemWith(schema: typeof emailSchema | typeof newPasswordSchema, value: string): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "Not valid.");
}

type Prompt = ReturnType<typeof openPrompt>;

/** Asks until the answer passes `check` (Django asks again too); without a prompt, one bad value ends the run. */
async function answer(
  prompt: Prompt | null,
  ask: (prompt: Prompt) => Promise<string>,
  given: { name: string; value: string | undefined },
  check: (value: string) => string | null,
): Promise<string> {
  if (!prompt) {
    if (given.value === undefined) throw new Refusal(`${given.name} must be set with --no-input.`);
    const problem = check(given.value);
    if (problem) throw new Refusal(`${given.name}: ${problem}`);
    return given.value;
  }
  for (;;) {
    const value = await ask(prompt);
    const problem = check(value);
    if (!problem) return value;
    console.error(`Error: ${problem}`);
  }
}

const MISMATCH = "The two passwords didn't match.";

async function createSuperuser(db: Database, prompt: Prompt | null): Promise<string> {
  const tooling = getTooling();
  const email = emailSchema.parse(
    await answer(
      prompt,
      (p) => p.ask("Email address: "),
      { name: "SUPERUSER_EMAIL", value: tooling.superuserEmail },
      (value) => problemWith(emailSchema, value),
    ),
  );
  const promoted = await promoteToSuperuser(db, email);
  if (promoted) return `${promoted.email} already had an account: it is now a superuser, its password unchanged.`;

  let typedTwice = true;
  const password = await answer(
    prompt,
    async (p) => {
      const first = await p.ask("Password: ", true);
      typedTwice = first === (await p.ask("Password (again): ", true));
      return first;
    },
    { name: "SUPERUSER_PASSWORD", value: tooling.superuserPassword },
    (value) => (typedTwice ? problemWith(newPasswordSchema, value) : MISMATCH),
  );
  const created = await registerUser(db, { email, password }, getSettings().bcryptCost, { isSuperuser: true });
  if (created.ok) return `Superuser ${created.user.email} created successfully.`;
  // The email was registered between the two steps: that account is promoted instead.
  await promoteToSuperuser(db, email);
  return `${email} was registered meanwhile: that account is now a superuser, with its own password.`;
}

async function main(): Promise<void> {
  const { database } = orExit(getSettings);
  const pending = await pendingMigrations(database);
  if (pending.length > 0) throw new Refusal(`${pendingMigrationsMessage(pending)}.`);
  const db = await openDatabase(database.url);
  const prompt = process.argv.includes("--no-input") ? null : openPrompt();
  try {
    console.log(await createSuperuser(db, prompt));
  } finally {
    prompt?.close();
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof Refusal || (error instanceof Error && error.name === "MigrationError");
  console.error(known ? `Error: ${(error as Error).message}` : `createsuperuser failed: ${String(error)}`);
  process.exit(1);
});
