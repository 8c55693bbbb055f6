// Sesame's production server: Next.js behind a thin Node.js front that decides, once, what the
// client may claim about itself. `npm start` builds and then runs this file.
import { createServer } from "node:http";
import nextEnv from "@next/env";
import next from "next";

nextEnv.loadEnvConfig(process.cwd());

const port = Number(process.env.PORT ?? 3000);
const trustProxy = ["true", "1"].includes(process.env.TRUST_PROXY ?? "");
const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

const app = next({ dev: false, port });
const handle = app.getRequestHandler();
await app.prepare();

createServer((req, res) => {
  // CVE-2025-29927: this internal header once let requests skip the proxy. Nobody outside sends it.
  if (req.headers["x-middleware-subrequest"] !== undefined) {
    res.writeHead(400, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ error: "BadRequest", message: "This header is not accepted." }));
    return;
  }
  if (!trustProxy) {
    // Without a proxy of our own, forwarded headers are the client's word: replace them with the socket's.
    for (const name of FORWARDED) delete req.headers[name];
    req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  }
  void handle(req, res);
}).listen(port, () => {
  console.log(`Sesame is serving on http://localhost:${port}`);
});
