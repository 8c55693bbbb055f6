import type { APIRequestContext, APIResponse, Locator, Page } from "@playwright/test";
import fc from "fast-check";
import { LOGIN_FAILED_MESSAGE } from "../lib/auth/flows";
import { credentialsSchema, loginSchema, registerFormSchema } from "../lib/auth/schemas";
import { SESSION_ID_SHAPE } from "../lib/session/token";
import { COOKIE_NAME, expect, test, uniqueClientIp } from "./fixtures";
import {
  deeplyNested,
  hostileBody,
  hostileEmail,
  hostileJson,
  hostileJsonText,
  hostileString,
  malformedSegment,
  MALFORMED_SEGMENTS,
  nestingShape,
  objectText,
  PROTO_KEYS,
  wellFormed,
} from "./fuzz/arbitraries";
import { countUsersWithEmail, findUser, onlySessionOf } from "./fuzz/db";
import { expectNoErrorPage, fillAndRead, submitAction, watchDialogs, watchServerActions } from "./fuzz/forms";
import {
  checkProperty,
  expectCleanError,
  expectNoLeaks,
  expectServerAlive,
  jsonHeaders,
  setsSessionCookie,
  summarize,
} from "./fuzz/http";
import {
  classifyBody,
  expiryEndsSessionSoon,
  expiryIsValid,
  hasNonFiniteNumber,
  isJsonContentType,
  isRoutingSegment,
  keyProblem,
  MAX_DATA_BYTES,
  normalize,
  parsesAsJson,
  predictPut,
} from "./fuzz/predict";

/**
 * Property-based fuzzing of every JSON endpoint and form action with hostile input. The rule
 * everywhere: invalid input gets a 4xx with a clear JSON message (or a message on the form),
 * never a 5xx, never a stack trace or an echoed password, and changes nothing in the database;
 * and the server keeps serving afterwards. Each request comes from a fresh client address so
 * the per-address rate limits never trip. FUZZ_SEED replays a run; FUZZ_RUNS_SCALE scales it.
 */

// Fuzzing needs time to shrink a failure to its smallest case (bounded in checkProperty).
test.describe.configure({ timeout: 120_000 });

const plausiblePassword = fc.string({ unit: "grapheme-ascii", minLength: 8, maxLength: 40 });
const freshEmail = fc.uuid().map((uuid) => `fuzz-${uuid.slice(0, 13)}@example.test`);

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const stringField = (value: unknown, name: string): string | null => {
  const field = asRecord(value)[name];
  return typeof field === "string" ? field : null;
};

test.describe("fuzzing the JSON API", () => {
  test("POST /api/auth/register: hostile bodies get a clean 4xx and create no account", async ({ request }) => {
    const bodies = hostileBody({
      email: fc.oneof(hostileEmail(), freshEmail),
      password: fc.oneof(hostileString(), plausiblePassword),
    });
    const created = new Set<string>();
    await checkProperty(
      fc.asyncProperty(bodies, async (bodyText) => {
        const what = `POST /api/auth/register ${summarize(bodyText)}`;
        const shape = classifyBody(bodyText);
        const sent = shape.kind === "json" ? shape.value : null;
        const email = stringField(sent, "email");
        const password = stringField(sent, "password");
        const parsed = shape.kind === "json" ? credentialsSchema.safeParse(sent) : null;
        const response = await request.post("/api/auth/register", {
          headers: jsonHeaders(),
          data: Buffer.from(bodyText),
        });

        if (parsed?.success) {
          // Valid input: created (201), or refused as taken (409) or rate limited (429).
          const status = response.status();
          if (status === 201) {
            created.add(parsed.data.email);
            expectNoLeaks(
              await response.text(),
              { echoed: [parsed.data.email], secrets: [parsed.data.password] },
              what,
            );
          } else {
            await expectCleanError(response, { what, statuses: [409, 429], secrets: [parsed.data.password] });
          }
          if (status !== 429)
            expect(countUsersWithEmail(parsed.data.email), `${what}: the account exists once`).toBe(1);
          return;
        }
        const { error } = await expectCleanError(response, {
          what,
          statuses: [shape.kind === "tooLarge" ? 413 : 400],
          secrets: password ? [password] : [],
        });
        if (shape.kind === "badJson") expect(error, what).toBe("BadRequest");
        if (shape.kind === "json") expect(error, what).toBe("ValidationError");
        expect(setsSessionCookie(response), `${what}: a refused registration starts no session`).toBe(false);
        if (email !== null && !created.has(email.trim().toLowerCase())) {
          expect(countUsersWithEmail(email), `${what}: no account was created`).toBe(0);
        }
      }),
      50,
    );
    await expectServerAlive(request);
  });

  test("POST /api/auth/login: hostile bodies get a clean 4xx, no session and no account", async ({ request }) => {
    const bodies = hostileBody({
      email: fc.oneof(hostileEmail(), freshEmail),
      password: fc.oneof(hostileString(), plausiblePassword),
      remember: fc.boolean(),
    });
    await checkProperty(
      fc.asyncProperty(bodies, async (bodyText) => {
        const what = `POST /api/auth/login ${summarize(bodyText)}`;
        const shape = classifyBody(bodyText);
        const sent = shape.kind === "json" ? shape.value : null;
        const email = stringField(sent, "email");
        const password = stringField(sent, "password");
        const parsed = shape.kind === "json" ? loginSchema.safeParse(sent) : null;
        const usersBefore = email === null ? 0 : countUsersWithEmail(email);
        const response = await request.post("/api/auth/login", { headers: jsonHeaders(), data: Buffer.from(bodyText) });

        const secrets = password ? [password] : [];
        if (parsed?.success) {
          // Well-formed credentials for an account that does not exist: the generic 401 (or 429).
          const { message } = await expectCleanError(response, { what, statuses: [401, 429], secrets });
          if (response.status() === 401) expect(message, what).toBe(LOGIN_FAILED_MESSAGE);
        } else {
          const { error } = await expectCleanError(response, {
            what,
            statuses: [shape.kind === "tooLarge" ? 413 : 400],
            secrets,
          });
          if (shape.kind === "json") expect(error, what).toBe("ValidationError");
        }
        expect(setsSessionCookie(response), `${what}: a failed login starts no session`).toBe(false);
        if (email !== null)
          expect(countUsersWithEmail(email), `${what}: login never creates an account`).toBe(usersBefore);
      }),
      50,
    );
    await expectServerAlive(request);
  });

  test("POST /api/auth/login: hostile passwords for a real account fail cleanly and change nothing", async ({
    request,
    user,
  }) => {
    const hashBefore = findUser(user.id)?.passwordHash;
    // At most 6 failures on one real account: well under its lockout of 10.
    const emails = fc.constantFrom(user.email, user.email.toUpperCase(), `  ${user.email}\t`);
    await checkProperty(
      fc.asyncProperty(emails, hostileString(), fc.boolean(), async (email, password, remember) => {
        const body = JSON.stringify({ email, password, remember });
        const what = `POST /api/auth/login ${summarize(body)}`;
        const parsed = loginSchema.safeParse({ email, password, remember });
        const response = await request.post("/api/auth/login", { headers: jsonHeaders(), data: Buffer.from(body) });
        const expected = classifyBody(body).kind === "tooLarge" ? [413] : parsed.success ? [401] : [400];
        await expectCleanError(response, { what, statuses: expected, secrets: [password] });
        expect(setsSessionCookie(response), what).toBe(false);
      }),
      6,
      // Never scaled, never shrunk: each run is a failed login on a real account (lockout at 10).
      { scale: false, shrink: false },
    );
    expect(findUser(user.id)?.passwordHash, "the password hash is untouched").toBe(hashBefore);
    // The account is not locked: the real password still works.
    const login = await request.post("/api/auth/login", {
      headers: jsonHeaders(),
      data: { email: user.email, password: user.password },
    });
    expect(login.status()).toBe(200);
    await expectServerAlive(request);
  });

  test("PUT/GET/DELETE /api/session/keys/{key}: hostile keys and values keep the session consistent", async ({
    page,
    loggedInUser,
  }) => {
    const api = page.request;
    // A well-formed key string (lone surrogates become U+FFFD; the malformed-encoding test covers those).
    const keys = fc.oneof(
      { arbitrary: hostileString({ maxLong: 0 }).map(wellFormed), weight: 5 },
      {
        arbitrary: fc.constantFrom(
          "cart",
          "k",
          "a/b",
          "%2F",
          "%",
          "..",
          ".",
          "",
          " ",
          "?x=1#y",
          "a\\b",
          "\u0000",
          ...PROTO_KEYS,
          "a".repeat(128),
          "a".repeat(129),
          "🔥".repeat(64),
          "🔥".repeat(65),
        ),
        weight: 3,
      },
      { arbitrary: fc.string({ minLength: 129, maxLength: 1_000 }), weight: 1 },
    );
    const putBodies = fc.oneof(
      { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify({ value })), weight: 3 },
      { arbitrary: hostileJsonText.map((text) => objectText([["value", text]])), weight: 4 },
      { arbitrary: hostileBody({ value: fc.jsonValue({ maxDepth: 2 }) }), weight: 2 },
    );
    const operations = fc.record({
      method: fc.constantFrom("PUT", "PUT", "GET", "DELETE"),
      key: keys,
      body: putBodies,
    });
    await api.put("/api/session/keys/cart", { headers: jsonHeaders(), data: { value: [1, { sku: "A-1" }] } });

    await checkProperty(
      fc.asyncProperty(operations, async ({ method, key, body }) => {
        await keepSessionSmall(api, loggedInUser.id);
        const before = onlySessionOf(loggedInUser.id).data;
        const path = `/api/session/keys/${encodeURIComponent(key)}`;
        const what = `${method} ${summarize(path, 120)}${method === "PUT" ? ` ${summarize(body)}` : ""}`;
        const options = { headers: jsonHeaders(), maxRedirects: 0 };
        const response =
          method === "PUT"
            ? await api.put(path, { ...options, data: Buffer.from(body) })
            : method === "GET"
              ? await api.get(path, options)
              : await api.delete(path, options);
        const after = (): unknown => normalize(onlySessionOf(loggedInUser.id).data);

        if (isRoutingSegment(key)) {
          // "", "." and ".." are resolved away by the URL: another route answers, and nothing changes.
          expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
          expect(after(), `${what}: the session data is unchanged`).toEqual(normalize(before));
          return;
        }
        if (keyProblem(key)) {
          const { error } = await expectCleanError(response, { what, statuses: [400] });
          expect(error, what).toBe("ValidationError");
          expect(after(), `${what}: the session data is unchanged`).toEqual(normalize(before));
          return;
        }
        const present = Object.hasOwn(before, key);
        if (method === "PUT") {
          const predicted = predictPut(key, body, before);
          if (predicted.status === 200) {
            expect(response.status(), `${what} → ${await response.text()}`).toBe(200);
            const answer = (await response.json()) as { key: string; value: unknown };
            expect(answer.key, what).toBe(key);
            expect(normalize(answer.value), what).toEqual(normalize(predicted.data[key]));
          } else {
            await expectCleanError(response, { what, statuses: [predicted.status], echoed: [key] });
          }
          expect(after(), `${what}: the stored data is as predicted`).toEqual(predicted.data);
          return;
        }
        if (!present) {
          const { error } = await expectCleanError(response, { what, statuses: [404], echoed: [key] });
          expect(error, what).toBe("KeyError");
          expect(((await response.json()) as { key: unknown }).key, `${what}: the KeyError names the key`).toBe(key);
          expect(after(), `${what}: the session data is unchanged`).toEqual(normalize(before));
          return;
        }
        if (method === "GET") {
          expect(response.status(), what).toBe(200);
          expect(normalize(await response.json()), what).toEqual(normalize({ key, value: before[key] }));
          expect(after(), `${what}: the session data is unchanged`).toEqual(normalize(before));
        } else {
          expect(response.status(), what).toBe(204);
          const expected = { ...before };
          delete expected[key];
          expect(after(), `${what}: only the key is gone`).toEqual(normalize(expected));
        }
      }),
      80,
    );
    // Still the same logged-in session, still serving.
    expect((await (await api.get("/api/session")).json()) as { authenticated: boolean }).toEqual(
      expect.objectContaining({ authenticated: true }),
    );
    await expectServerAlive(api);
  });

  test("refused session-key requests from an anonymous visitor start no session", async ({ request }) => {
    const cases = fc
      .record({
        method: fc.constantFrom("PUT", "GET", "DELETE"),
        key: fc.oneof(hostileString({ maxLong: 0 }).map(wellFormed), fc.constantFrom("__proto__", "a".repeat(129))),
        body: fc.oneof(
          hostileJsonText.map((text) => objectText([["value", text]])),
          hostileBody({ value: fc.string() }),
        ),
      })
      // Only inputs that must be refused: a valid PUT would rightly start a session.
      .filter(
        ({ method, key, body }) =>
          !isRoutingSegment(key) && (method !== "PUT" || predictPut(key, body, {}).status !== 200),
      );
    await checkProperty(
      fc.asyncProperty(cases, async ({ method, key, body }) => {
        const path = `/api/session/keys/${encodeURIComponent(key)}`;
        const what = `anonymous ${method} ${summarize(path, 120)}${method === "PUT" ? ` ${summarize(body)}` : ""}`;
        const options = { headers: { ...jsonHeaders(), Cookie: "" }, maxRedirects: 0 };
        const response =
          method === "PUT"
            ? await request.put(path, { ...options, data: Buffer.from(body) })
            : method === "GET"
              ? await request.get(path, options)
              : await request.delete(path, options);
        await expectCleanError(response, { what, echoed: [key] });
        expect(setsSessionCookie(response), `${what}: no session row, no cookie`).toBe(false);
      }),
      40,
    );
    await expectServerAlive(request);
  });

  test("deeply nested JSON in a session value is stored or refused with a 4xx, never a 5xx", async ({
    page,
    loggedInUser,
  }) => {
    const api = page.request;
    await checkProperty(
      fc.asyncProperty(nestingShape, fc.integer({ min: 1_000, max: 40_000 }), async (shape, depth) => {
        const body = `{"value":${deeplyNested(depth, shape)}}`;
        const before = onlySessionOf(loggedInUser.id).data;
        const what = `PUT /api/session/keys/deep with a value nested ${depth} deep (${shape}, ${body.length} bytes)`;
        const response = await api.put("/api/session/keys/deep", { headers: jsonHeaders(), data: Buffer.from(body) });
        if (response.status() === 200) {
          expect(Object.hasOwn(onlySessionOf(loggedInUser.id).data, "deep"), what).toBe(true);
          expect((await api.delete("/api/session/keys/deep", { headers: jsonHeaders() })).status(), what).toBe(204);
        } else {
          await expectCleanError(response, { what });
          expect(normalize(onlySessionOf(loggedInUser.id).data), `${what}: unchanged`).toEqual(normalize(before));
        }
        await expectServerAlive(api);
      }),
      10,
    );
  });

  test("deeply nested JSON in auth and logout bodies is refused with a 4xx", async ({ request }) => {
    const where = fc.constantFrom("email", "password", "remember", "body", "extra");
    const endpoints = fc.constantFrom("register", "login", "logout");
    await checkProperty(
      fc.asyncProperty(
        endpoints,
        where,
        nestingShape,
        fc.integer({ min: 1_000, max: 60_000 }),
        freshEmail,
        async (endpoint, at, shape, depth, email) => {
          const deep = deeplyNested(depth, shape);
          const members: [string, string][] = [
            ["email", at === "email" ? deep : JSON.stringify(email)],
            ["password", at === "password" ? deep : JSON.stringify("a fuzzing passphrase")],
          ];
          if (at === "remember") members.push(["remember", deep]);
          if (at === "extra") members.push(["extra", deep]);
          const body = at === "body" ? deep : objectText(members);
          const what = `POST /api/auth/${endpoint} nested ${depth} deep in ${at} (${shape}, ${body.length} bytes)`;
          const response = await request.post(`/api/auth/${endpoint}`, {
            headers: jsonHeaders(),
            data: Buffer.from(body),
          });
          const shapeOf = classifyBody(body);
          if (endpoint === "logout") {
            // Logout reads no body: it always succeeds.
            expect(response.status(), what).toBe(204);
          } else if ((at === "extra" || (at === "remember" && endpoint === "register")) && shapeOf.kind === "json") {
            // Unknown members are ignored: a fresh account is created, or the unknown email refused.
            expect(endpoint === "register" ? [201, 409, 429] : [401, 429], what).toContain(response.status());
          } else {
            await expectCleanError(response, { what, statuses: [shapeOf.kind === "tooLarge" ? 413 : 400] });
            expect(setsSessionCookie(response), what).toBe(false);
            expect(countUsersWithEmail(email), `${what}: no account`).toBe(0);
          }
        },
      ),
      15,
    );
    await expectServerAlive(request);
  });

  test("raw bodies: invalid JSON, empty, wrong content types and 200 KB are refused with the right 4xx", async ({
    request,
  }) => {
    const multipart = [
      "--fuzz",
      'Content-Disposition: form-data; name="email"',
      "",
      "a@example.test",
      "--fuzz",
      'Content-Disposition: form-data; name="value"',
      "",
      "1",
      "--fuzz--",
      "",
    ].join("\r\n");
    const json = "application/json";
    const bodies: { name: string; contentType: string; body: string | Buffer }[] = [
      { name: "an empty body", contentType: json, body: "" },
      { name: "whitespace", contentType: json, body: " \n\t " },
      { name: "truncated JSON", contentType: json, body: '{"email": "a@example.test", "password": ' },
      { name: "trailing garbage", contentType: json, body: '{"value": 1} x' },
      { name: "single quotes", contentType: json, body: "{'email': 'a@example.test'}" },
      { name: "NaN", contentType: json, body: '{"value": NaN}' },
      { name: "a comment", contentType: json, body: '{"value": 1 /* hi */}' },
      { name: "a byte order mark", contentType: json, body: '\ufeff{"value": 1}' },
      { name: "NUL bytes", contentType: json, body: Buffer.from([0, 0, 0]) },
      { name: "invalid UTF-8", contentType: json, body: Buffer.from([0xff, 0xfe, 0x7b, 0x7d]) },
      { name: "JSON null", contentType: json, body: "null" },
      { name: "a JSON array", contentType: json, body: '[{"email": "a@example.test", "value": 1}]' },
      {
        name: "200 KB of JSON",
        contentType: json,
        body: JSON.stringify({ email: "a".repeat(200 * 1024), password: "x", value: 1 }),
      },
      { name: "200 KB of garbage", contentType: json, body: "x".repeat(200 * 1024) },
      {
        name: "form-urlencoded",
        contentType: "application/x-www-form-urlencoded",
        body: "email=a%40example.test&password=hunter22hunter22&value=1",
      },
      {
        name: "text/plain",
        contentType: "text/plain",
        body: '{"email":"a@example.test","password":"hunter22hunter22","value":1}',
      },
      {
        name: "text/plain with a JSON charset",
        contentType: "text/plain; charset=application/json",
        body: '{"value":1}',
      },
      { name: "multipart", contentType: "multipart/form-data; boundary=fuzz", body: multipart },
      { name: "octet-stream", contentType: "application/octet-stream", body: '{"value":1}' },
      { name: "a JSON look-alike type", contentType: "application/jsonx", body: '{"value":1}' },
      { name: "text/json", contentType: "text/json", body: '{"value":1}' },
      { name: "an empty content type", contentType: "", body: '{"value":1}' },
    ];
    for (const endpoint of ENDPOINTS) {
      for (const { name, contentType, body } of bodies) {
        await expectRawBodyAnswer(
          request,
          endpoint,
          contentType,
          body,
          `${endpoint.method} ${endpoint.path} with ${name} (${contentType || "no type"})`,
        );
      }
    }
    // And random bytes under random content types.
    const contentTypes = fc.oneof(
      fc.constantFrom(
        json,
        "APPLICATION/JSON",
        "application/json; charset=utf-16",
        " application/json ;x=y",
        "text/plain",
        "application/json-patch+json",
      ),
      fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
    );
    const rawBodies = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      hostileString().map((text) => Buffer.from(text)),
    );
    await checkProperty(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), contentTypes, rawBodies, async (endpoint, contentType, bytes) => {
        const body = Buffer.from(bytes);
        const what = `${endpoint.method} ${endpoint.path} (${JSON.stringify(contentType)}) ${summarize(body.toString("latin1"))}`;
        await expectRawBodyAnswer(request, endpoint, contentType, body, what);
      }),
      60,
    );
    await expectServerAlive(request);
  });

  test("DELETE and GET /api/sessions/{id}: hostile ids are a clean 404 and revoke nothing", async ({
    page,
    loggedInUser,
  }) => {
    const api = page.request;
    const own = onlySessionOf(loggedInUser.id);
    const ids = fc
      .oneof(
        hostileString({ maxLong: 0 }).map(wellFormed),
        fc.stringMatching(SESSION_ID_SHAPE),
        fc.constantFrom(
          "",
          ".",
          "..",
          "%2F",
          "a".repeat(65),
          "a".repeat(3_000),
          own.id.slice(0, -1),
          `${own.id}x`,
          ` ${own.id}`,
          own.id.toUpperCase(),
        ),
      )
      .filter((id) => id !== own.id);
    await checkProperty(
      fc.asyncProperty(ids, async (id) => {
        const path = `/api/sessions/${encodeURIComponent(id)}`;
        const what = `DELETE ${summarize(path, 120)}`;
        const response = await api.delete(path, { headers: jsonHeaders(), maxRedirects: 0 });
        if (isRoutingSegment(id)) expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
        else expect((await expectCleanError(response, { what, statuses: [404] })).error, what).toBe("NotFound");
        // GET is not a method of this route: refused, never a 5xx.
        const get = await api.get(path, { headers: jsonHeaders(), maxRedirects: 0 });
        expect(get.status(), `never a 5xx: GET ${summarize(path, 120)}`).toBeLessThan(500);
        expect(get.status(), `GET ${summarize(path, 120)} is refused`).toBeGreaterThanOrEqual(300);
        const now = onlySessionOf(loggedInUser.id);
        expect(now.id, `${what}: the own session survives`).toBe(own.id);
      }),
      40,
    );
    await expectServerAlive(api);
  });

  test("the sessions admin API: hostile ids and queries get a clean answer and end nothing", async ({
    page,
    loggedInSuperuser,
  }) => {
    const api = page.request;
    const own = onlySessionOf(loggedInSuperuser.id);
    const ids = fc
      .oneof(
        hostileString({ maxLong: 0 }).map(wellFormed),
        fc.stringMatching(SESSION_ID_SHAPE),
        fc.constantFrom("", ".", "..", "%2F", "a".repeat(65), "a".repeat(3_000), `${own.id}x`, own.id.toUpperCase()),
      )
      .filter((id) => id !== own.id);
    await checkProperty(
      fc.asyncProperty(ids, async (id) => {
        const path = `/api/admin/sessions/${encodeURIComponent(id)}`;
        for (const method of ["GET", "DELETE"] as const) {
          const what = `${method} ${summarize(path, 120)}`;
          const response = await api.fetch(path, { method, headers: jsonHeaders(), maxRedirects: 0 });
          if (isRoutingSegment(id)) expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
          else expect((await expectCleanError(response, { what, statuses: [404] })).error, what).toBe("NotFound");
        }
        expect(onlySessionOf(loggedInSuperuser.id).id, `${path}: the own session survives`).toBe(own.id);
      }),
      30,
    );
    const queries = fc.record({
      email: hostileString({ maxLong: 0 }).map(wellFormed),
      page: hostileString({ maxLong: 0 }),
    });
    await checkProperty(
      fc.asyncProperty(queries, async (query) => {
        const path = `/api/admin/sessions?${new URLSearchParams(query).toString()}`;
        const what = `GET ${summarize(path, 120)}`;
        const response = await api.get(path, { headers: jsonHeaders(), maxRedirects: 0 });
        if (response.status() === 200) {
          const body = (await response.json()) as { sessions: unknown[]; total: number; page: number };
          expect(Array.isArray(body.sessions) && Number.isInteger(body.total) && body.page >= 1, what).toBe(true);
        } else {
          await expectCleanError(response, { what, statuses: [400] });
        }
      }),
      30,
    );
    await expectServerAlive(api);
  });

  test("malformed percent-encoding in a path segment is a clean 4xx, not a 5xx", async ({ page, loggedInUser }) => {
    const api = page.request;
    const before = normalize(onlySessionOf(loggedInUser.id).data);
    const segments = [...MALFORMED_SEGMENTS, ...fc.sample(malformedSegment, { numRuns: 6, seed: 42 })];
    const routes: { method: "GET" | "PUT" | "DELETE"; prefix: string }[] = [
      { method: "GET", prefix: "/api/session/keys/" },
      { method: "PUT", prefix: "/api/session/keys/" },
      { method: "DELETE", prefix: "/api/session/keys/" },
      { method: "DELETE", prefix: "/api/sessions/" },
    ];
    const failures: string[] = [];
    for (const segment of new Set(segments)) {
      for (const { method, prefix } of routes) {
        const path = `${prefix}${segment}`;
        const response = await api.fetch(path, {
          method,
          headers: jsonHeaders(),
          data: method === "PUT" ? { value: 1 } : undefined,
          maxRedirects: 0,
        });
        try {
          await expectCleanError(response, { what: `${method} ${path}` });
        } catch {
          failures.push(
            `${method} ${path} → ${response.status()} ${response.headers()["content-type"] ?? "(no type)"} ${summarize(await response.text(), 80)}`,
          );
        }
      }
    }
    expect(normalize(onlySessionOf(loggedInUser.id).data), "the session data is unchanged").toEqual(before);
    await expectServerAlive(api);
    expect(failures, "every malformed path segment gets a clean JSON 4xx").toEqual([]);
  });

  test("a 100,000-character path is refused, and the server keeps serving", async ({ request }) => {
    const response = await request.get(`/api/session/keys/${"a".repeat(100_000)}`, { headers: jsonHeaders() });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
    await expectServerAlive(request);
  });
});

interface Endpoint {
  method: "POST" | "PUT";
  path: string;
  kind: "register" | "login" | "logout" | "put";
}

const ENDPOINTS: Endpoint[] = [
  { method: "POST", path: "/api/auth/register", kind: "register" },
  { method: "POST", path: "/api/auth/login", kind: "login" },
  { method: "POST", path: "/api/auth/logout", kind: "logout" },
  { method: "PUT", path: "/api/session/keys/raw", kind: "put" },
];

/** The answer a raw body must get: 415 for non-JSON types, then 413, 400, or the endpoint's own result. */
async function expectRawBodyAnswer(
  request: APIRequestContext,
  endpoint: Endpoint,
  contentType: string,
  body: string | Buffer,
  what: string,
): Promise<void> {
  const response: APIResponse = await request.fetch(endpoint.path, {
    method: endpoint.method,
    headers: { ...jsonHeaders(), "Content-Type": contentType, Cookie: "" },
    data: typeof body === "string" ? Buffer.from(body) : body,
    maxRedirects: 0,
  });
  if (!isJsonContentType(contentType)) {
    const { error } = await expectCleanError(response, { what, statuses: [415] });
    expect(error, what).toBe("UnsupportedMediaType");
    return;
  }
  if (endpoint.kind === "logout") {
    expect(response.status(), what).toBe(204);
    return;
  }
  const shape = classifyBody(body);
  if (shape.kind === "tooLarge") {
    await expectCleanError(response, { what, statuses: [413] });
    return;
  }
  if (shape.kind === "badJson") {
    expect((await expectCleanError(response, { what, statuses: [400] })).error, what).toBe("BadRequest");
    return;
  }
  const valid =
    endpoint.kind === "register"
      ? credentialsSchema.safeParse(shape.value).success
      : endpoint.kind === "login"
        ? loginSchema.safeParse(shape.value).success
        : predictPut("raw", typeof body === "string" ? body : new TextDecoder().decode(body), {}).status === 200;
  if (valid) {
    expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
    return;
  }
  await expectCleanError(response, { what, statuses: [400] });
  expect(setsSessionCookie(response), `${what}: no session`).toBe(false);
}

/**
 * Form fields get strings of up to 10,000 characters. Longer ones are tried on purpose, in the
 * tests that name the 1 MB server-action body limit, so a random run never trips it by chance.
 */
const FORM_STRINGS = { maxLong: 10_000 };

/** The playground shows each call's result in a live region under the button that made it. */
function resultOf(playground: Locator, button: string): Locator {
  const pressed = playground.page().getByRole("button", { name: button, exact: true });
  return playground.getByRole("listitem").filter({ has: pressed }).getByRole("status");
}

test.describe("fuzzing the form actions", () => {
  test("the register form: hostile input gets field errors, creates no account, and keeps working", async ({
    page,
    context,
  }) => {
    const actions = watchServerActions(page);
    const dialogs = watchDialogs(page);
    const created = new Set<string>();
    const inputs = fc.record({
      email: fc.oneof(hostileEmail(FORM_STRINGS), freshEmail),
      password: fc.oneof(hostileString(FORM_STRINGS), plausiblePassword),
      confirm: fc.option(hostileString(FORM_STRINGS), { freq: 2 }),
    });
    await page.goto("/register");
    await checkProperty(
      fc.asyncProperty(inputs, async ({ email, password, confirm }) => {
        await context.setExtraHTTPHeaders({ "X-Forwarded-For": uniqueClientIp() });
        if (!new URL(page.url()).pathname.startsWith("/register")) {
          await context.clearCookies();
          await page.goto("/register");
        }
        const sent = {
          email: wellFormed(await fillAndRead(page.getByLabel("Email"), email)),
          password: wellFormed(await fillAndRead(page.getByLabel("Password", { exact: true }), password)),
          confirmPassword: wellFormed(await fillAndRead(page.getByLabel("Confirm password"), confirm ?? password)),
        };
        const what = `register form with ${summarize(JSON.stringify(sent), 300)}`;
        const predicted = registerFormSchema.safeParse(sent);
        const response = await submitAction(page, page.getByRole("button", { name: "Create account" }));
        expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
        const status = page.locator("form").getByRole("status");
        if (predicted.success) {
          // Valid: registered and sent to the dashboard, or told the email is taken or the limit reached.
          await expect(
            page.getByRole("heading", { name: "Dashboard" }).or(status.getByText(/already exists|Too many/)),
          ).toBeVisible();
          if (new URL(page.url()).pathname === "/dashboard") created.add(predicted.data.email);
          return;
        }
        await expect(page.getByRole("button", { name: "Create account" }), what).toBeEnabled();
        await expect(status, what).toContainText("Please fix the highlighted fields.");
        await expect(page.locator('form [aria-invalid="true"]').first(), `${what}: a field is marked`).toBeVisible();
        await expectNoErrorPage(page, what);
        await expect(page.getByRole("heading", { name: "Create an account" }), what).toBeVisible();
        if (!created.has(sent.email.trim().toLowerCase()))
          expect(countUsersWithEmail(sent.email), `${what}: no account`).toBe(0);
      }),
      12,
      { shrink: false },
    );
    expect(
      actions.filter((action) => action.status >= 500),
      "no server action answered with a 5xx",
    ).toEqual([]);
    expect(dialogs, "no injected script ran").toEqual([]);
  });

  test("the login form: hostile input gets a clear message and logs nobody in", async ({ page, context }) => {
    const actions = watchServerActions(page);
    const dialogs = watchDialogs(page);
    const inputs = fc.record({
      email: fc.oneof(hostileEmail(FORM_STRINGS), freshEmail),
      password: fc.oneof(hostileString(FORM_STRINGS), plausiblePassword),
      remember: fc.boolean(),
    });
    await page.goto("/login");
    await checkProperty(
      fc.asyncProperty(inputs, async ({ email, password, remember }) => {
        await context.setExtraHTTPHeaders({ "X-Forwarded-For": uniqueClientIp() });
        const sent = {
          email: wellFormed(await fillAndRead(page.getByLabel("Email"), email)),
          password: wellFormed(await fillAndRead(page.getByLabel("Password"), password)),
          remember,
        };
        await page.getByLabel("Keep me signed in").setChecked(remember);
        const what = `login form with ${summarize(JSON.stringify(sent), 300)}`;
        const predicted = loginSchema.safeParse(sent);
        const usersBefore = countUsersWithEmail(sent.email);
        const response = await submitAction(page, page.getByRole("button", { name: "Log in" }));
        expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
        await expect(page.getByRole("button", { name: "Log in" }), what).toBeEnabled();
        const status = page.locator("form").getByRole("status");
        if (predicted.success) {
          await expect(status, what).toContainText(new RegExp(`${escapeRegExp(LOGIN_FAILED_MESSAGE)}|Too many`));
        } else {
          await expect(status, what).toContainText("Please fix the highlighted fields.");
          await expect(page.locator('form [aria-invalid="true"]').first(), `${what}: a field is marked`).toBeVisible();
        }
        await expectNoErrorPage(page, what);
        await expect(page).toHaveURL(/\/login/);
        await expect(page.getByRole("heading", { name: "Log in" }), what).toBeVisible();
        expect(countUsersWithEmail(sent.email), `${what}: no account`).toBe(usersBefore);
        expect(
          (await context.cookies()).some((cookie) => cookie.name === COOKIE_NAME && cookie.value !== ""),
          `${what}: not logged in`,
        ).toBe(false);
      }),
      12,
      { shrink: false },
    );
    expect(
      actions.filter((action) => action.status >= 500),
      "no server action answered with a 5xx",
    ).toEqual([]);
    expect(dialogs, "no injected script ran").toEqual([]);
  });

  test("the dashboard playground: hostile keys, values, defaults and expiries", async ({ page, loggedInUser }) => {
    const actions = watchServerActions(page);
    const dialogs = watchDialogs(page);
    await page.request.put("/api/session/keys/cart", { headers: jsonHeaders(), data: { value: [1, { sku: "A-1" }] } });
    await page.goto("/dashboard");
    const playground = page.locator("form").filter({ has: page.getByRole("button", { name: "Cycle key" }) });
    const table = page.getByRole("table", { name: "Session contents" });
    const inputs = fc.record({
      op: fc.constantFrom("Set", "Set", "Get", "Delete", "Set expiry"),
      key: fc.oneof(
        { arbitrary: hostileString(FORM_STRINGS), weight: 3 },
        { arbitrary: fc.constantFrom("cart", "cart", "x", " cart ", ...PROTO_KEYS), weight: 2 },
      ),
      value: fc.oneof(
        { arbitrary: hostileString(FORM_STRINGS), weight: 3 },
        { arbitrary: hostileJson(FORM_STRINGS), weight: 2 },
        { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)), weight: 1 },
      ),
      fallback: fc.oneof(hostileString(FORM_STRINGS), hostileJson(FORM_STRINGS)),
      expiry: fc.oneof(
        { arbitrary: hostileString(FORM_STRINGS), weight: 2 },
        {
          arbitrary: fc.constantFrom(
            "",
            "null",
            "0",
            "3600",
            "31622400",
            "31622401",
            "9".repeat(400),
            "-5",
            "1e3",
            "2000-01-01",
            "2030-13-45",
            "2099-01-31T12:00Z",
            "１２３",
            "2030-01-01<script>",
          ),
          weight: 2,
        },
      ),
    });
    await checkProperty(
      fc.asyncProperty(inputs, async ({ op, key, value, fallback, expiry }) => {
        const sent = {
          key: wellFormed(await fillAndRead(playground.getByLabel("Key"), key)),
          value: wellFormed(await fillAndRead(playground.getByLabel("Value"), value)),
          default: wellFormed(await fillAndRead(playground.getByLabel("Default"), fallback)),
          expiry: wellFormed(await fillAndRead(playground.getByLabel("Expiry"), expiry)),
        };
        // Never end the test's own session: a short expiry would log it out mid-run.
        if (expiryEndsSessionSoon(sent.expiry))
          sent.expiry = await fillAndRead(playground.getByLabel("Expiry"), "3600");
        const what = `playground ${op} with ${summarize(JSON.stringify(sent), 300)}`;
        const before = onlySessionOf(loggedInUser.id).data;
        const predicted = predictPlayground(op, sent, before);
        const tableBefore = await table.innerText();

        const response = await submitAction(page, playground.getByRole("button", { name: op, exact: true }));
        expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
        await expect(playground.getByRole("button", { name: "Set", exact: true }), what).toBeEnabled();
        await expect(resultOf(playground, op), `${what}: a message is shown under the button`).toHaveText(/\S/);
        await expectNoErrorPage(page, what);
        await expect(page.getByRole("heading", { name: "Dashboard" }), what).toBeVisible();

        const after = normalize(onlySessionOf(loggedInUser.id).data);
        expect(after, `${what}: the stored data is as predicted`).toEqual(normalize(predicted.data));
        if (!predicted.valid) {
          expect(await table.innerText(), `${what}: the Session contents table is unchanged`).toBe(tableBefore);
        }
      }),
      15,
      { shrink: false },
    );
    // A fresh load still works and still shows this user.
    await page.reload();
    await expect(page.getByRole("main").getByText(loggedInUser.email)).toBeVisible();
    expect(
      actions.filter((action) => action.status >= 500),
      "no server action answered with a 5xx",
    ).toEqual([]);
    expect(dialogs, "no injected script ran").toEqual([]);
  });

  test("the dashboard playground: a deeply nested value gets a message, not an error page", async ({
    page,
    loggedInUser,
  }) => {
    const actions = watchServerActions(page);
    await page.goto("/dashboard");
    const playground = (p: Page) => p.locator("form").filter({ has: p.getByRole("button", { name: "Cycle key" }) });
    await checkProperty(
      fc.asyncProperty(nestingShape, fc.integer({ min: 1_000, max: 20_000 }), async (shape, depth) => {
        if (!(await page.getByRole("heading", { name: "Dashboard" }).isVisible())) await page.goto("/dashboard");
        const what = `playground Set "deep" to a value nested ${depth} deep (${shape})`;
        const before = normalize(onlySessionOf(loggedInUser.id).data);
        await playground(page).getByLabel("Key").fill("deep");
        await playground(page).getByLabel("Value").fill(deeplyNested(depth, shape));
        const response = await submitAction(page, playground(page).getByRole("button", { name: "Set", exact: true }));
        expect(response.status(), `never a 5xx: ${what}`).toBeLessThan(500);
        await expectNoErrorPage(page, what);
        await expect(resultOf(playground(page), "Set"), `${what}: a message is shown under the button`).toHaveText(
          /\S/,
        );
        const after = onlySessionOf(loggedInUser.id).data;
        if (Object.hasOwn(after, "deep")) {
          expect((await page.request.delete("/api/session/keys/deep", { headers: jsonHeaders() })).status(), what).toBe(
            204,
          );
        } else {
          expect(normalize(after), `${what}: unchanged`).toEqual(before);
        }
      }),
      4,
      { shrink: false },
    );
    expect(
      actions.filter((action) => action.status >= 500),
      "no server action answered with a 5xx",
    ).toEqual([]);
    await expectServerAlive(page.request);
  });

  test("the playground: a 100,000-character key is refused without echoing it, and the next action works", async ({
    page,
    loggedInUser: _user,
  }) => {
    const actions = watchServerActions(page);
    await page.goto("/dashboard");
    const playground = page.locator("form").filter({ has: page.getByRole("button", { name: "Cycle key" }) });
    await playground.getByLabel("Key").fill("é".repeat(100_000));
    const first = await submitAction(page, playground.getByRole("button", { name: "Delete", exact: true }));
    expect(first.status(), "Delete with a 100,000-character key").toBeLessThan(500);
    await expect(resultOf(playground, "Delete")).toContainText("Session keys are at most 128 characters");
    // useActionState posts the previous state back with the next action: a refused state that
    // echoed the key would push that small Get past the server-action limit.
    await playground.getByLabel("Key").fill("x");
    const second = await submitAction(page, playground.getByRole("button", { name: "Get", exact: true }));
    const size = second.request().postDataBuffer()?.length ?? 0;
    expect(second.status(), `the next action, a Get of "x", posted ${size} bytes`).toBeLessThan(500);
    await expect(resultOf(playground, "Get")).toContainText('Got "x"');
    await expectNoErrorPage(page, "a Get after a huge KeyError");
    expect(
      actions.filter((action) => action.status >= 500),
      "no server action answered with a 5xx",
    ).toEqual([]);
  });

  test("the register form: three fields of 100,000 emoji (1.2 MB) get a message, not an error page", async ({
    page,
  }) => {
    const huge = "🔥".repeat(100_000);
    await page.goto("/register");
    await page.getByLabel("Email").fill(huge);
    await page.getByLabel("Password", { exact: true }).fill(huge);
    await page.getByLabel("Confirm password").fill(huge);
    const response = await submitAction(page, page.getByRole("button", { name: "Create account" }));
    const size = response.request().postDataBuffer()?.length ?? 0;
    expect(response.status(), `the register action posted ${size} bytes`).toBeLessThan(500);
    await expect(page.locator("form").getByRole("status")).toHaveText(/\S/);
    await expectNoErrorPage(page, "a 1.2 MB registration");
    await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
    expect(countUsersWithEmail(huge)).toBe(0);
  });
});

/** Deletes the largest keys while the session holds over 16 KB, so a full session does not refuse every later PUT. */
async function keepSessionSmall(api: APIRequestContext, userId: string): Promise<void> {
  let data = onlySessionOf(userId).data;
  while (Buffer.byteLength(JSON.stringify(data)) > 16 * 1024) {
    const [largest] = Object.entries(data).sort(([, a], [, b]) => JSON.stringify(b).length - JSON.stringify(a).length);
    if (!largest) return;
    const response = await api.delete(`/api/session/keys/${encodeURIComponent(largest[0])}`, {
      headers: jsonHeaders(),
    });
    expect(response.status(), `clean-up: DELETE ${summarize(largest[0])}`).toBe(204);
    data = onlySessionOf(userId).data;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** What the playground must do with these fields: succeed (and the data it then holds) or refuse. */
function predictPlayground(
  op: string,
  fields: { key: string; value: string; default: string; expiry: string },
  data: Record<string, unknown>,
): { valid: boolean; data: Record<string, unknown> } {
  const refused = { valid: false, data };
  const key = fields.key.trim();
  switch (op) {
    case "Set": {
      const parsed = parsesAsJson(fields.value);
      if (!key || !parsed.ok || keyProblem(key) || hasNonFiniteNumber(parsed.value)) return refused;
      const next = { ...data, [key]: parsed.value };
      if (Buffer.byteLength(JSON.stringify(next)) > MAX_DATA_BYTES) return refused;
      return { valid: true, data: next };
    }
    case "Get":
      // Get never changes the data; it refuses an empty key or a default that is not JSON.
      return { valid: Boolean(key) && (fields.default.trim() === "" || parsesAsJson(fields.default).ok), data };
    case "Delete": {
      if (!key || !Object.hasOwn(data, key)) return refused;
      const next = { ...data };
      delete next[key];
      return { valid: true, data: next };
    }
    default:
      return { valid: expiryIsValid(fields.expiry), data };
  }
}
