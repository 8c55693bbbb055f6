import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Card, Code, TextLink } from "@/components/ui";
import { getServices } from "@/lib/services";
import { RaceLab } from "./lab-form";

export const metadata: Metadata = { title: "Race lab" };

/**
 * Django 5.2.17, django/contrib/sessions/backends/db.py, SessionStore.save (lines 122 to 129),
 * copied from the released package and only dedented: the page quotes it, never paraphrases it.
 */
const DJANGO_SAVE = `data = self._get_session(no_load=must_create)
obj = self.create_model_instance(data)
using = router.db_for_write(self.model, instance=obj)
try:
    with transaction.atomic(using=using):
        obj.save(
            force_insert=must_create, force_update=not must_create, using=using
        )`;

/** Parallel writes of different keys to one session, under the engine this server runs. */
export default async function RaceLabPage(): Promise<ReactNode> {
  const { engine } = await getServices();
  const { mergesParallelWrites } = engine.capabilities;
  const why = engine.description.parallelWrites;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex max-w-3xl flex-col gap-2">
        <h1 className="text-3xl font-semibold tracking-tight">Race lab</h1>
        <p className="text-stone-700 dark:text-stone-300">
          Your browser sends many requests at once, each storing a different key in the same session. Does every key
          survive? It depends on how the engine saves. This server runs <Code>SESSION_ENGINE={engine.name}</Code>;
          compare the engines on <TextLink href="/backends">Session backends</TextLink>.
        </p>
      </header>
      <Card title="Race parallel writes to your session">
        <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">
          {mergesParallelWrites ? "Expect every write to survive. " : "Expect most writes to be lost. "}
          {why}
        </p>
        <p className="mb-4 text-sm text-stone-600 dark:text-stone-400">
          The button clears the last race&apos;s keys, stores a <Code>race</Code> key on its own so your session exists
          before the race, then sends every write at once with <Code>PUT /api/session/keys/race-1</Code> …{" "}
          <Code>race-N</Code> and reads the session back with <Code>GET /api/session</Code>. Your other keys are left
          alone.
        </p>
        <RaceLab mergesParallelWrites={mergesParallelWrites} why={why} />
      </Card>
      <Card title="And in Django?">
        <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">
          Django&apos;s database backend saves the whole dictionary, so the same race loses writes there too. Each
          request loads the session when it first reads it; its save then writes everything it holds, its own change and
          the keys as they were when it loaded, over the row. The transaction covers only the write, not the read before
          it, so a later save overwrites the keys an earlier one added. From{" "}
          <Code>django/contrib/sessions/backends/db.py</Code> (Django 5.2.17), <Code>SessionStore.save</Code>:
        </p>
        <pre className="overflow-x-auto rounded-md bg-stone-100 px-3 py-2 font-mono text-xs text-stone-900 dark:bg-stone-800 dark:text-stone-100">
          <code>{DJANGO_SAVE}</code>
        </pre>
        <p className="mt-3 text-sm text-stone-600 dark:text-stone-400">
          <Code>create_model_instance</Code> puts <Code>session_data=self.encode(data)</Code>, the whole dictionary, in
          the row. Sesame&apos;s server-side engines instead merge only the keys a request changed into what is stored
          at the moment of the save.
        </p>
      </Card>
    </div>
  );
}
