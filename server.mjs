// Sesame's production server: Next.js behind a thin Node.js front that decides, once, what the
// client may claim about itself. `npm start` builds and then runs this file.
import { createServer } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import nextEnv from "@next/env";
import next from "next";
import { clearsSessionCookie } from "./lib/config/cookie-name.mjs";
import { getServerSettings } from "./lib/config/server.mjs";

nextEnv.loadEnvConfig(process.cwd());

// Read after the .env files are loaded. A bad value stops the server here, with a message naming
// it; instrumentation.ts then checks the app's own settings the same way.
const { port, trustedProxies, metrics: measure } = getServerSettings();
const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

const app = next({ dev: false, port });
const handle = app.getRequestHandler();
await app.prepare();

/** Next.js answers a path it cannot percent-decode with a bare 500; it is the client's mistake. */
function hasMalformedPath(url = "/") {
  try {
    decodeURIComponent(url.split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

/** Server actions accept 1 MB; past that Next.js fails with a 500 rather than saying so. */
const MAX_ACTION_BYTES = 1024 * 1024;

/** A clear JSON refusal. The rest of the body is read and dropped, so the client sees the answer, not a reset. */
function refuse(req, res, status, error, message) {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", Connection: "close" });
  res.end(JSON.stringify({ error, message }));
  req.resume();
}

/** A server action whose Origin is not the host it was sent to, as Next.js itself compares them. */
function isForeignServerAction(req) {
  if (req.method !== "POST" || req.headers["next-action"] === undefined) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const host = (trustedProxies > 0 && req.headers["x-forwarded-host"]) || req.headers.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" and other unparsable origins
  }
}

// For `npm run bench` only: event-loop delay and memory, measured inside the server process.
const metrics = measure ? monitorEventLoopDelay({ resolution: 10 }) : null;
metrics?.enable();

function serveMetrics(req, res) {
  const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
  const body = {
    eventLoopDelayMs: { p50: ms(metrics.percentile(50)), p99: ms(metrics.percentile(99)), max: ms(metrics.max) },
    rssMb: Math.round(process.memoryUsage.rss() / 1048576),
    heapMb: Math.round(process.memoryUsage().heapTotal / 1048576),
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (req.url.endsWith("?reset=1")) metrics.reset();
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

/**
 * Every response that ends a session in the browser (logout by API or by form, "log out
 * everywhere", account deletion, a revoked current session) also asks the browser to drop what it
 * cached and stored for the site. Server actions cannot set headers, so it is decided here, once,
 * from the cookie the response clears.
 */
function addClearSiteDataOnLogout(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    const setCookie = [res.getHeader("set-cookie") ?? []].flat().map(String);
    if (setCookie.some(clearsSessionCookie) && !res.hasHeader("clear-site-data")) {
      res.setHeader("Clear-Site-Data", '"cache", "cookies", "storage"');
    }
    return writeHead.apply(this, args);
  };
}

const server = createServer((req, res) => {
  if (metrics && req.url?.startsWith("/__sesame/metrics")) return serveMetrics(req, res);
  // CVE-2025-29927: this internal header once let requests skip the proxy. Nobody outside sends it.
  if (req.headers["x-middleware-subrequest"] !== undefined) {
    return refuse(req, res, 400, "BadRequest", "This header is not accepted.");
  }
  if (hasMalformedPath(req.url)) {
    return refuse(req, res, 400, "BadRequest", "The address contains malformed percent-encoding.");
  }
  if (isForeignServerAction(req)) {
    // Next.js refuses these too, but with a 500; say plainly that it is forbidden.
    return refuse(req, res, 403, "Forbidden", "Cross-site server action requests are refused.");
  }
  if (req.headers["next-action"] !== undefined && req.method === "POST") {
    // Browsers always declare a form's length; an undeclared one could not be refused before it is read.
    if (req.headers["content-length"] === undefined) {
      return refuse(req, res, 411, "LengthRequired", "Send the form with a Content-Length.");
    }
    if (Number(req.headers["content-length"]) > MAX_ACTION_BYTES) {
      return refuse(req, res, 413, "PayloadTooLarge", "The form is larger than 1 MB.");
    }
  }
  if (trustedProxies === 0) {
    // Without a proxy of our own, forwarded headers are the client's word: drop them.
    for (const name of FORWARDED) delete req.headers[name];
  }
  // As every proxy does, append the peer we see; lib/http/forwarded.mjs picks the client from the chain.
  const peer = req.socket.remoteAddress ?? "";
  const chain = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = chain ? `${chain}, ${peer}` : peer;
  addClearSiteDataOnLogout(res);
  void handle(req, res);
});
// Node closes an idle keep-alive connection after 5 s, and a client that reuses it at that moment
// sees a reset instead of an answer. Clients and proxies keep theirs for up to a minute, so wait longer.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, async () => {
  // One request of our own runs instrumentation.ts, which refuses a bad configuration with a
  // clear message and exits; only then is it true that we are serving.
  await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
  console.log(`Sesame is serving on http://localhost:${port}`);
});
