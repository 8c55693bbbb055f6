import { z } from "zod";
import { emptyResponse, guardMutation, handleApi, jsonResponse, keyErrorResponse, readJsonBody } from "@/lib/next/api";
import { commitSession, openMutableSession } from "@/lib/next/session";
import { assertValidKey } from "@/lib/session/json";

interface KeyRoute {
  params: Promise<{ key: string }>;
}

const valueBody = z.object(
  { value: z.unknown().refine((value) => value !== undefined, "Send the value to store, as any JSON value.") },
  { error: 'Send a JSON object like {"value": 42}.' },
);

async function keyFrom({ params }: KeyRoute): Promise<string> {
  const { key } = await params;
  assertValidKey(key);
  return key;
}

/** `request.session.get(key)`: 404 KeyError when absent. */
export const GET = handleApi(async (request: Request, route: KeyRoute) => {
  const key = await keyFrom(route);
  const { session } = await openMutableSession(request);
  const found = session.has(key);
  const value = session.get(key);
  await commitSession(session);
  return found ? jsonResponse({ key, value }) : keyErrorResponse(key);
});

/** `request.session[key] = value`. */
export const PUT = handleApi(async (request: Request, route: KeyRoute) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const key = await keyFrom(route);
  const body = await readJsonBody(request, valueBody);
  if (!body.ok) return body.response;
  const { session } = await openMutableSession(request);
  session.set(key, body.data.value);
  await commitSession(session);
  return jsonResponse({ key, value: session.get(key) });
});

/** `del request.session[key]`: 404 KeyError when absent. */
export const DELETE = handleApi(async (request: Request, route: KeyRoute) => {
  const refused = await guardMutation(request);
  if (refused) return refused;
  const key = await keyFrom(route);
  const { session } = await openMutableSession(request);
  session.delete(key);
  await commitSession(session);
  return emptyResponse();
});
