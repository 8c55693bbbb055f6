import type { ReactNode } from "react";
import { describeDuration, formatDuration, formatTime } from "@/lib/format";
import type { JsonValue } from "@/lib/session/json";
import { ScriptVisibilityCheck } from "./inspector-script-check";
import { countKeys, type CookieFacts, type RowFacts, type SessionFacts } from "@/lib/next/session-facts";
import { sessionCookieName } from "@/lib/session/session-cookie";
import { TOKEN_BYTES } from "@/lib/session/token";
import { SessionContents } from "./session-contents";
import { Badge, Card, Code, CodeLine, cx, Facts, type Fact } from "./ui";

/**
 * The session inspector: the cookie in the browser, the row on the server and the decoded data,
 * side by side along the path a request takes, then that path step by step with this session's
 * own values. Rendered on the server; nothing here is the token or the full cookie value.
 */
export function SessionInspector({ facts }: { facts: SessionFacts }): ReactNode {
  const { cookie, row, items } = facts;
  return (
    <section aria-labelledby="inspector-title" className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h2 id="inspector-title" className="text-xl font-semibold tracking-tight">
          Session inspector
        </h2>
        <p className="max-w-3xl text-sm text-stone-600 dark:text-stone-400">
          One request, followed step by step: the cookie your browser sent, the row the server found with it, and the
          data that row holds.
        </p>
      </div>
      <div className="grid gap-2 lg:grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)_auto_minmax(0,1fr)] lg:gap-3">
        <BrowserPanel cookie={cookie} />
        <Connector label="unseal, SHA-256, look up" />
        <ServerPanel row={row} />
        <Connector label="JSON.parse" />
        <Card
          id="inspector-data"
          headingLevel={3}
          title={<PanelTitle step={3}>Decoded data</PanelTitle>}
          description="What your code reads and writes through request.session."
          className="min-w-0"
        >
          <SessionContents items={items} />
          {row ? <StoredJson items={items} bytes={row.dataBytes} keyCount={row.keyCount} /> : null}
        </Card>
      </div>
      <RequestPath cookie={cookie} row={row} />
    </section>
  );
}

/** Longer data is cut here: the table above shows every key. */
const STORED_PREVIEW = 600;

/** The data column exactly as the row stores it: the JSON the table decodes. */
function StoredJson({
  items,
  bytes,
  keyCount,
}: {
  items: [string, JsonValue][];
  bytes: number;
  keyCount: number;
}): ReactNode {
  const json = JSON.stringify(Object.fromEntries(items));
  const cut = json.length > STORED_PREVIEW;
  return (
    <div className="mt-4 flex flex-col gap-1">
      <h4 className="text-xs font-medium tracking-wide text-stone-600 uppercase dark:text-stone-400">
        As stored in the row
      </h4>
      <CodeLine>{cut ? `${json.slice(0, STORED_PREVIEW)}…` : json}</CodeLine>
      <p className="text-xs text-stone-600 dark:text-stone-400">
        {countKeys(keyCount)}, {bytes} bytes of JSON{cut ? `; the first ${STORED_PREVIEW} characters are shown` : ""}.
      </p>
    </div>
  );
}

function PanelTitle({ step, children }: { step: number; children: ReactNode }): ReactNode {
  return (
    <span className="flex items-center gap-2">
      <span
        aria-hidden="true"
        className="inline-flex size-6 shrink-0 items-center justify-center rounded-full bg-emerald-700 text-xs font-semibold text-white dark:bg-emerald-700"
      >
        {step}
      </span>
      {children}
    </span>
  );
}

/** The arrow between two panels: across on wide screens, down on narrow ones. Decorative: RequestPath says it in words. */
function Connector({ label }: { label: string }): ReactNode {
  return (
    <div
      aria-hidden="true"
      className="flex items-center justify-center gap-2 text-xs text-stone-500 lg:flex-col lg:gap-3 dark:text-stone-400"
    >
      <span className="hidden h-full w-px bg-stone-300 lg:block dark:bg-stone-700" />
      <svg viewBox="0 0 24 24" className="size-5 shrink-0 rotate-90 fill-none stroke-current stroke-2 lg:rotate-0">
        <path d="M4 12h15m-5-5 5 5-5 5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className="font-mono whitespace-nowrap lg:[writing-mode:vertical-rl]">{label}</span>
      <span className="hidden h-full w-px bg-stone-300 lg:block dark:bg-stone-700" />
    </div>
  );
}

interface AttributeLine {
  /** As it appears in Set-Cookie. */
  token: string;
  set: boolean;
  meaning: ReactNode;
}

function attributeLines(cookie: CookieFacts): AttributeLine[] {
  const attributes = cookie.attributes;
  if (!attributes) return [];
  const lines: AttributeLine[] = [
    {
      token: "HttpOnly",
      set: attributes.httpOnly,
      meaning: "Scripts on the page cannot read it; only HTTP requests carry it.",
    },
    {
      token: "Secure",
      set: attributes.secure,
      meaning: attributes.secure
        ? "Sent over https only."
        : `Not set: this server runs on plain http. Under an https APP_URL it is Secure and named ${sessionCookieName(true)}.`,
    },
    {
      token: "SameSite=Lax",
      set: true,
      meaning:
        "Sent when you follow a link here from another site, never with another site's forms, images or fetches.",
    },
    {
      token: `Path=${attributes.path}`,
      set: true,
      meaning: "Sent with every request to this site, whatever the page.",
    },
  ];
  if (attributes.maxAge === undefined || cookie.expires === null) {
    lines.push({
      token: "Session cookie",
      set: true,
      meaning: "No Max-Age and no Expires: the browser keeps it in memory only, until it quits.",
    });
  } else {
    lines.push({
      token: `Max-Age=${attributes.maxAge}`,
      set: true,
      meaning: `Seconds left: the browser deletes it in ${describeDuration(attributes.maxAge)}, when the row expires.`,
    });
    if (attributes.maxAge > 0) {
      lines.push({
        token: `Expires=${cookie.expires.toUTCString()}`,
        set: true,
        meaning: "The same moment as a date, for browsers older than Max-Age. Max-Age wins where both are set.",
      });
    }
  }
  return lines;
}

function BrowserPanel({ cookie }: { cookie: CookieFacts }): ReactNode {
  const facts: Fact[] = cookie.present
    ? [
        { term: "Name", value: <Code>{cookie.name}</Code> },
        { term: "Size", value: `${cookie.bytes} bytes`, hint: "name=value, of the 4096 a browser allows per cookie" },
        {
          term: "Sealed value",
          value: (
            <span className="font-mono text-xs break-all">
              <Code>{cookie.head}</Code> … <Code>{cookie.tail}</Code>
            </span>
          ),
          hint: "First and last 8 characters. iron-session encrypts and signs the token; the middle stays out of this page.",
        },
        {
          term: "Lifetime",
          value: cookie.expires === null ? "Ends when the browser closes" : "Persistent (has Max-Age)",
        },
      ]
    : [{ term: "Cookie", value: "Your browser sent no session cookie with this request." }];
  const lines = attributeLines(cookie);
  return (
    <Card
      id="inspector-browser"
      headingLevel={3}
      title={<PanelTitle step={1}>In your browser</PanelTitle>}
      description="The cookie as your browser holds it and sends it with every request."
      className="min-w-0"
    >
      <div className="flex flex-col gap-4">
        <Facts items={facts} />
        {lines.length > 0 ? (
          <div className="flex flex-col gap-2">
            <h4 className="text-xs font-medium tracking-wide text-stone-600 uppercase dark:text-stone-400">
              Attributes
            </h4>
            <ul aria-label="Cookie attributes" className="flex flex-col gap-2 text-sm">
              {lines.map((line) => (
                <li key={line.token} className="flex flex-col gap-0.5">
                  <span className="flex flex-wrap items-center gap-2">
                    <code
                      className={cx(
                        "rounded px-1.5 py-0.5 font-mono text-xs break-all",
                        line.set
                          ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
                          : "bg-stone-100 text-stone-700 line-through decoration-stone-500 dark:bg-stone-800 dark:text-stone-300",
                      )}
                    >
                      {line.token}
                    </code>
                    {line.set ? null : <Badge tone="warning">not set</Badge>}
                  </span>
                  <span className="text-xs text-stone-600 dark:text-stone-400">{line.meaning}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {cookie.present ? (
          <p className="flex gap-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-xs text-emerald-950 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-50">
            <svg
              aria-hidden="true"
              viewBox="0 0 24 24"
              className="mt-0.5 size-4 shrink-0 fill-none stroke-current stroke-2"
            >
              <rect x="5" y="11" width="14" height="9" rx="2" />
              <path d="M8 11V8a4 4 0 0 1 8 0v3" />
            </svg>
            <span>
              <strong className="font-semibold">JavaScript on this page cannot read it (HttpOnly).</strong>{" "}
              <ScriptVisibilityCheck cookieName={cookie.name} />
            </span>
          </p>
        ) : null}
      </div>
    </Card>
  );
}

function Time({ date }: { date: Date }): ReactNode {
  return <time dateTime={date.toISOString()}>{formatTime(date)}</time>;
}

function ServerPanel({ row }: { row: RowFacts | null }): ReactNode {
  const facts: Fact[] = row
    ? [
        {
          term: "Token hash",
          value: <Code>sha256 {row.hashPrefix}…</Code>,
          hint: "The row is found by SHA-256 of the token. The database never holds the token itself.",
        },
        { term: "Engine", value: <Badge>{row.engine}</Badge>, hint: "SESSION_ENGINE: where rows are kept" },
        ...(row.database
          ? [
              {
                term: "Database",
                value: <Badge>{row.database}</Badge>,
                hint: "DATABASE_URL: which database holds the row",
              },
            ]
          : []),
        { term: "User id", value: row.userId ? <Code>{row.userId}</Code> : "None (anonymous)" },
        { term: "Created", value: <Time date={row.createdAt} /> },
        { term: "Last seen", value: <Time date={row.lastSeenAt} /> },
        {
          term: "Idle expiry",
          value: <Time date={row.idleExpiresAt} />,
          hint: row.fixedDate
            ? "A fixed date from set_expiry: requests do not move it"
            : `${formatDuration(row.idleSeconds)}, sliding with activity`,
        },
        {
          term: "Absolute expiry",
          value: <Time date={row.absoluteExpiresAt} />,
          hint: "Set at login; nothing extends it",
        },
        ...(row.userId
          ? [
              {
                term: "Password confirmed",
                value: row.passwordConfirmedAt ? <Time date={row.passwordConfirmedAt} /> : "Never in this session",
                hint: `At login or /confirm-password; sensitive actions ask again ${formatDuration(row.reauthWindowSeconds)} after it`,
              },
            ]
          : []),
        { term: "User agent", value: <span className="text-xs break-words">{row.userAgent ?? "Unknown"}</span> },
        { term: "IP", value: <span className="font-mono text-xs break-all">{row.ip ?? "Unknown"}</span> },
        { term: "Data size", value: `${row.dataBytes} bytes`, hint: `UTF-8 JSON of ${countKeys(row.keyCount)}` },
      ]
    : [{ term: "Row", value: "No row: nothing has been stored in this session yet." }];
  return (
    <Card
      id="inspector-server"
      headingLevel={3}
      title={<PanelTitle step={2}>On the server</PanelTitle>}
      description="The Session row as stored, found by the hash of the token inside the cookie."
      className="min-w-0"
    >
      <Facts items={facts} />
    </Card>
  );
}

/** The lookup as one line of steps, each with this session's own value. Never the token. */
function RequestPath({ cookie, row }: { cookie: CookieFacts; row: RowFacts | null }): ReactNode {
  const steps: [string, string][] = [
    ["Cookie", cookie.present ? `${cookie.name} (${cookie.bytes} bytes)` : "no cookie"],
    ["Unseal", "iron-session unseal"],
    ["Token", `${TOKEN_BYTES}-byte token`],
    ["SHA-256", row ? `sha256 ${row.hashPrefix.slice(0, 8)}…` : "no hash"],
    ["Row", row ? `row ${row.idLabel}` : "no row"],
    ["Data", row ? `${countKeys(row.keyCount)}, ${row.dataBytes} bytes` : "empty"],
  ];
  return (
    <div className="rounded-xl border border-dashed border-stone-300 bg-stone-100/60 p-4 dark:border-stone-700 dark:bg-stone-900/60">
      <h3 id="request-path-title" className="mb-3 text-sm font-semibold">
        The path of this request, step by step
      </h3>
      <ol aria-labelledby="request-path-title" className="grid gap-2 sm:grid-cols-3 lg:grid-cols-6">
        {steps.map(([label, value], index) => (
          <li key={label} className="flex min-w-0 items-stretch gap-2">
            {index > 0 ? (
              <span aria-hidden="true" className="hidden self-center text-stone-500 sm:inline dark:text-stone-400">
                →
              </span>
            ) : null}
            <span className="flex min-w-0 flex-1 flex-col rounded-lg bg-white px-3 py-2 shadow-sm ring-1 ring-stone-200 dark:bg-stone-950 dark:ring-stone-800">
              <span className="text-[0.7rem] font-medium tracking-wide text-stone-600 uppercase dark:text-stone-400">
                {index + 1}. {label}
              </span>
              <span className="font-mono text-xs wrap-break-word">{value}</span>
            </span>
          </li>
        ))}
      </ol>
      <p className="mt-3 text-xs text-stone-600 dark:text-stone-400">
        The token itself is never shown: it exists only sealed inside your cookie, and as its hash in the row.
      </p>
    </div>
  );
}
