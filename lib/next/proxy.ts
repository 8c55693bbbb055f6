import type { NextRequest, NextResponse } from "next/server";
import { getServices } from "../services";
import { findSessionCookie } from "../session/session-cookie";
import { SessionValueError } from "../session/errors";
import { openRequestSession, writeSessionCookie } from "./session";

/**
 * Slides a live session's expiry on page navigations, which cannot write cookies themselves.
 * Saving writes only when the touch interval has passed, and then reissues the cookie so its
 * Max-Age follows the row. Rejected cookies are left alone: the page explains why.
 */
export async function slideSessionExpiry(request: NextRequest, response: NextResponse): Promise<void> {
  const services = await getServices();
  const cookie = findSessionCookie(request.headers.get("cookie"), services.cookieName);
  if (!cookie.value) return;
  const { session, rejected } = await openRequestSession(services, request.headers, cookie);
  if (rejected || session.isNew) return;
  try {
    await writeSessionCookie(services, session, await session.save(), response.cookies);
  } catch (error) {
    // A cookie-engine session that no longer fits keeps its old cookie; the page still renders.
    if (!(error instanceof SessionValueError)) throw error;
  }
}
