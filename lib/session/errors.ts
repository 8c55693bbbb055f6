/** Raised by `delete` for a missing key, as Django's `del request.session[key]` raises KeyError. */
export class SessionKeyError extends Error {
  override name = "KeyError";
  constructor(readonly key: string) {
    super(`KeyError: ${JSON.stringify(key)}`);
  }
}

/** A key or value the session cannot hold: not JSON, too large, or a bad key. */
export class SessionValueError extends Error {
  override name = "SessionValueError";
}

/** A save that kept losing to concurrent writers. */
export class SessionConflictError extends Error {
  override name = "SessionConflictError";
}

/**
 * The session no longer fits where its engine keeps it: under SESSION_ENGINE=cookie, the browser's
 * 4096 bytes for one cookie. A SessionValueError, so callers that explain bad values explain this too.
 */
export class SessionTooLargeError extends SessionValueError {
  override name = "SessionTooLargeError";
}

/** The client may not start another stored session yet (RATE_LIMIT_SESSION_IP): answer 429 with Retry-After. */
export class TooManySessionsError extends Error {
  override name = "TooManySessionsError";
  constructor(readonly retryAfterSeconds: number) {
    super("Too many new sessions have been started from your network. Please wait a little and try again.");
  }
}
