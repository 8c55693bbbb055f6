// The session cookie's name, in plain JavaScript so that server.mjs, which runs without a
// TypeScript step, recognises exactly the cookie lib/session/session-cookie.ts names.

/** The session cookie's name over http. */
export const SESSION_COOKIE_NAME = "sesame_session";

/** Its name under https: the `__Host-` prefix makes the browser enforce Secure, Path=/ and no Domain. */
export const SECURE_SESSION_COOKIE_NAME = `__Host-${SESSION_COOKIE_NAME}`;

/**
 * Whether a Set-Cookie line empties the session cookie, under either name.
 * @param {string} setCookie
 * @returns {boolean}
 */
export function clearsSessionCookie(setCookie) {
  return setCookie.startsWith(`${SESSION_COOKIE_NAME}=;`) || setCookie.startsWith(`${SECURE_SESSION_COOKIE_NAME}=;`);
}
