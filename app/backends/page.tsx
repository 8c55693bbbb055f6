import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { Badge, Card, Code, cx, Facts, TextLink } from "@/components/ui";
import { getSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { cookieBytes, MAX_COOKIE_BYTES } from "@/lib/session/session-cookie";
import { describeSizeLimit, ENGINE_CATALOGUE } from "@/lib/session/engine-catalogue";

export const metadata: Metadata = { title: "Session backends" };

const COLUMNS = [
  "Where the data lives",
  "Survives a server restart",
  "Can be revoked",
  "Size limit",
  "Shared across app servers",
] as const;

/** The five SESSION_ENGINEs side by side, and what the browser and the server hold for this visitor. Reads only. */
export default async function BackendsPage(): Promise<ReactNode> {
  const [{ session }, services, jar] = await Promise.all([getSession(), getServices(), cookies()]);
  const { name: engine, capabilities, database } = services.engine;
  const value = jar.get(services.cookieName)?.value ?? "";
  const bytes = value ? cookieBytes(services.cookieName, value) : 0;
  const hash = session.tokenHash;
  const location = hash ? services.engine.location(hash) : null;

  const serverHolds: ReactNode = capabilities.keepsSessionInCookie ? (
    <>Nothing: it is all in the cookie.</>
  ) : hash && location ? (
    location
  ) : (
    <>Nothing yet: a session is stored only once something is put in it.</>
  );

  return (
    <div className="flex flex-col gap-6">
      <header className="flex max-w-3xl flex-col gap-2">
        <h1 className="text-3xl font-semibold tracking-tight">Session backends</h1>
        <p className="text-stone-700 dark:text-stone-300">
          Like Django&apos;s <Code>SESSION_ENGINE</Code>, Sesame can keep sessions in five places. Every one supports
          the whole session API; they differ in where the data lives and what that costs. This server runs{" "}
          <Code>SESSION_ENGINE={engine}</Code>
          {database ? <> on {database}</> : null}.
        </p>
      </header>

      <Card title="The five engines">
        <div className="overflow-x-auto">
          <table className="w-full min-w-[48rem] border-collapse text-left text-sm">
            <caption className="mb-2 text-left text-sm text-stone-600 dark:text-stone-400">
              What each SESSION_ENGINE keeps where. The engine this server uses is marked &ldquo;in use&rdquo;.
            </caption>
            <thead>
              <tr className="border-b border-stone-200 dark:border-stone-800">
                <th scope="col" className="py-2 pr-3 font-medium">
                  Engine
                </th>
                {COLUMNS.map((column) => (
                  <th key={column} scope="col" className="py-2 pr-3 font-medium">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Object.values(ENGINE_CATALOGUE).map((e) => (
                <tr
                  key={e.name}
                  aria-current={e.name === engine ? "true" : undefined}
                  className={cx(
                    "border-b border-stone-100 align-top dark:border-stone-800",
                    e.name === engine && "bg-emerald-50 dark:bg-emerald-950/50",
                  )}
                >
                  <th scope="row" className="py-2 pr-3 font-medium">
                    <span className="flex flex-col items-start gap-1">
                      <Code>{e.name}</Code>
                      {e.name === engine ? <Badge tone="success">in use</Badge> : null}
                    </span>
                  </th>
                  <td className="py-2 pr-3">{e.where}</td>
                  <td className="py-2 pr-3">{e.survivesRestart}</td>
                  <td className="py-2 pr-3">{e.revocation}</td>
                  <td className="py-2 pr-3">{describeSizeLimit(e.capabilities.sizeLimit)}</td>
                  <td className="py-2 pr-3">{e.shared}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <div className="grid gap-6 md:grid-cols-2">
        <Card title="What your browser holds" id="browser-holds">
          <Facts
            items={[
              { term: "Cookie", value: <Code>{services.cookieName}</Code> },
              {
                term: "Size",
                value: value ? `${bytes} bytes of ${MAX_COOKIE_BYTES}` : "No cookie yet",
                hint: capabilities.keepsSessionInCookie
                  ? "The sealed token and the whole session: it grows with what you store."
                  : "The sealed token only: its size never changes.",
              },
            ]}
          />
        </Card>
        <Card title="What the server holds" id="server-holds">
          <Facts
            items={[
              { term: "Engine", value: <Code>{engine}</Code> },
              ...(database ? [{ term: "Database", value: database }] : []),
              { term: "Stored", value: serverHolds },
            ]}
          />
        </Card>
      </div>

      <p className="text-sm text-stone-600 dark:text-stone-400">
        See what each engine does with a copied cookie in the{" "}
        <TextLink href="/lab/stolen-cookie">stolen-cookie lab</TextLink>, and with parallel writes to one session in the{" "}
        <TextLink href="/lab/race">race lab</TextLink>.
      </p>
    </div>
  );
}
