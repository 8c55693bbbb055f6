import { createHash } from "node:crypto";

/** Authentication and session events, one JSON line each (ASVS 16.3.1, 16.2.5). */
export type AuditEvent =
  | "login.success"
  | "login.failure"
  | "login.rate_limited"
  | "login.busy"
  | "register.success"
  | "register.rejected"
  | "register.rate_limited"
  | "logout"
  | "password.changed"
  | "password.change_failed"
  | "password.confirmed"
  | "password.confirm_failed"
  | "account.deleted"
  | "account.delete_failed"
  | "sessions.revoked"
  | "session.issued"
  | "admin.sessions_listed"
  | "admin.session_viewed"
  | "admin.session_ended"
  | "admin.denied";

export interface AuditFields {
  /** The session's token hash; it is hashed again before it is logged, never the token itself. */
  tokenHash?: string | null;
  userId?: string | null;
  /** Hashed too: the log shows repeated attempts on one email without spelling it out. */
  email?: string;
  ip?: string | null;
  detail?: string;
}

type Sink = (line: string) => void;
let sink: Sink = (line) => console.info(line);

/** Tests capture the log by swapping the sink. */
export function setAuditSink(next: Sink): Sink {
  const previous = sink;
  sink = next;
  return previous;
}

const digest = (value: string): string => createHash("sha256").update(value).digest("hex").slice(0, 16);

export function audit(event: AuditEvent, fields: AuditFields = {}): void {
  sink(
    JSON.stringify({
      at: new Date().toISOString(),
      event,
      ...(fields.tokenHash ? { session: digest(fields.tokenHash) } : {}),
      ...(fields.userId ? { user: fields.userId } : {}),
      ...(fields.email ? { email: digest(fields.email) } : {}),
      ...(fields.ip ? { ip: fields.ip } : {}),
      ...(fields.detail ? { detail: fields.detail } : {}),
    }),
  );
}
