import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Card, Code, TextLink } from "@/components/ui";
import { getAuth } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { StolenCookieLab } from "./lab-form";

export const metadata: Metadata = { title: "Stolen-cookie lab" };

/** What happens to a copied cookie after logout, under the engine this server runs. */
export default async function StolenCookieLabPage(): Promise<ReactNode> {
  const [{ user }, services] = await Promise.all([getAuth(), getServices()]);
  const { name: engine, capabilities } = services.engine;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex max-w-3xl flex-col gap-2">
        <h1 className="text-3xl font-semibold tracking-tight">Stolen-cookie lab</h1>
        <p className="text-stone-700 dark:text-stone-300">
          Someone copies your session cookie, then you log out. Does their copy still work? It depends on where the
          session lives. This server runs <Code>SESSION_ENGINE={engine}</Code>; compare the engines on{" "}
          <TextLink href="/backends">Session backends</TextLink>.
        </p>
      </header>
      <Card title="Replay a copied cookie after logout">
        <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">
          {capabilities.keepsSessionInCookie
            ? "Under the cookie engine the server keeps nothing, so logging out can only clear your browser's copy."
            : "Logging out deletes the session on the server, so every copy of its cookie should open nothing."}{" "}
          The button copies your own cookie on the server, logs you out, and replays the copy. You will be logged out.
        </p>
        {user ? null : (
          <p className="mb-3 text-sm">
            <TextLink href="/login?next=/lab/stolen-cookie">Log in</TextLink> to run the lab: it needs a logged-in
            session to copy.
          </p>
        )}
        <StolenCookieLab loggedIn={user !== null} />
      </Card>
    </div>
  );
}
