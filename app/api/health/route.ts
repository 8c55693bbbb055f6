import { jsonResponse } from "@/lib/next/api";

export const dynamic = "force-dynamic";

/** Liveness, and the benchmark's baseline: a dynamic handler that touches no session. */
export function GET(): Response {
  return jsonResponse({ ok: true });
}
