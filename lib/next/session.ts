import { cookies, headers } from "next/headers";
import { cache } from "react";
import { audit } from "../auth/audit";
import { clientAddressOf } from "../http/forwarded.mjs";
import type { RequestGuard } from "../auth/flows";
import type { PublicUser } from "../auth/users";
import { getServices, type Services } from "../services";
import { findSessionCookie, sessionCookieAttributes } from "../session/session-cookie";
import { openSession, type OpenedSession } from "../session/open-session";
import type { CookieInstruction, Session, SessionContext } from "../session/session";

export type Auth = { session: Session; user: PublicUser } | { session: Session; user: null };

/** The shape shared by `cookies()` and `NextResponse.cookies`, so one function can write to both. */
export interface CookieWriter {
  set(name: string, value: string, options: ReturnType<typeof sessionCookieAttributes> & { expires?: Date }): unknown;
}

/**
 * The client's address. server.mjs appends the connecting peer's address to X-Forwarded-For
 * (and drops what the client sent when TRUST_PROXY is 0); the client is the address that the
 * outermost of the TRUST_PROXY trusted proxies saw.
 */
export function clientIp(requestHeaders: Headers, trustedProxies: number): string | null {
  return clientAddressOf(requestHeaders.get("x-forwarded-for"), trustedProxies);
}

/**
 * Everything a Session needs from this request: the engine's store and sealer for it (under
 * SESSION_ENGINE=cookie, a pair of its own, holding the record its cookie carries), and who asks.
 */
export function sessionContext(services: Services, requestHeaders: Headers): SessionContext {
  const ip = clientIp(requestHeaders, services.settings.trustedProxies);
  return {
    ...services.engine.forRequest(),
    policy: services.policy,
    now: () => new Date(),
    userAgent: requestHeaders.get("user-agent")?.slice(0, 512) ?? null,
    ip,
    admitNewSession: () => services.limiter.consumeNewSession(ip),
  };
}

/** For route handlers: their Request's headers are the whole truth, and reading them directly is cheapest. */
async function openFromHeaders(requestHeaders: Headers): Promise<OpenedSession> {
  const services = await getServices();
  return openRequestSession(
    services,
    requestHeaders,
    findSessionCookie(requestHeaders.get("cookie"), services.cookieName),
  );
}

async function openFromRequest(): Promise<OpenedSession> {
  // Request data first: during a build this bails out of prerendering before any database work.
  const [jar, requestHeaders] = await Promise.all([cookies(), headers()]);
  const services = await getServices();
  // The raw header tells whether the cookie came twice; the value comes from cookies(), which
  // (unlike headers()) already holds a cookie a server action just set when the page re-renders.
  const raw = findSessionCookie(requestHeaders.get("cookie"), services.cookieName);
  const cookie = raw.ambiguous ? raw : { value: jar.get(services.cookieName)?.value, ambiguous: false };
  return openRequestSession(services, requestHeaders, cookie);
}

/** openSession with this request's store and sealer, which the session keeps for its commit. */
export function openRequestSession(
  services: Services,
  requestHeaders: Headers,
  cookie: Parameters<typeof openSession>[1],
): Promise<OpenedSession> {
  return openSession(sessionContext(services, requestHeaders), cookie);
}

/** The request's session, read-only: for pages and layouts, memoised per render. */
export const getSession = cache(openFromRequest);

/** The session and its user, or no user. A session whose user was deleted counts as anonymous. */
export const getAuth = cache(async (): Promise<Auth> => {
  const { session } = await getSession();
  const userId = session.userId;
  const user = userId ? await (await getServices()).findUser(userId) : null;
  return user ? { session, user } : { session, user: null };
});

/**
 * A session to change, for server actions and route handlers (which pass their Request). Call
 * `commitSession` when done.
 */
export async function openMutableSession(request?: Request): Promise<OpenedSession & { user: PublicUser | null }> {
  const opened = request ? await openFromHeaders(request.headers) : await openFromRequest();
  const services = await getServices();
  const user = opened.session.userId ? await services.findUser(opened.session.userId) : null;
  return { ...opened, user };
}

/** Who is asking, for rate limits and the audit log. Route handlers pass their Request. */
export async function requestGuard(request?: Request): Promise<RequestGuard> {
  const services = await getServices();
  const ip = clientIp(request?.headers ?? (await headers()), services.settings.trustedProxies);
  return { limiter: services.limiter, ip, ...(request ? { signal: request.signal } : {}) };
}

/**
 * Applies a save's cookie instruction: a new sealed cookie, a cleared one, or nothing. Under
 * SESSION_ENGINE=cookie a session over 4096 bytes throws SessionTooLargeError before anything is set.
 */
export async function writeSessionCookie(
  services: Services,
  session: Session,
  instruction: CookieInstruction,
  jar: CookieWriter,
): Promise<void> {
  const secure = services.settings.secureCookies;
  if (instruction.kind === "set") {
    const value = await session.sealCookie(instruction.token);
    jar.set(services.cookieName, value, sessionCookieAttributes(secure, instruction.maxAge));
  } else if (instruction.kind === "clear") {
    jar.set(services.cookieName, "", { ...sessionCookieAttributes(secure, 0), expires: new Date(0) });
  }
}

/** Saves the session and applies the cookie change. Only actions and route handlers may call it. */
export async function commitSession(session: Session): Promise<CookieInstruction> {
  const services = await getServices();
  const instruction = await session.save();
  if (instruction.kind === "set" && session.keyChanged) {
    audit("session.issued", { tokenHash: session.tokenHash, userId: session.userId });
  }
  if (instruction.kind !== "none") await writeSessionCookie(services, session, instruction, await cookies());
  return instruction;
}
