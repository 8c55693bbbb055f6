import type { Database as Sqlite } from "better-sqlite3";
import { RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";

/** A budget: this many events per window of this many seconds. */
export interface Budget {
  points: number;
  seconds: number;
}

export interface RateLimitPolicy {
  /** Failed logins for one account: the next attempt after the budget is refused. */
  loginFailuresPerAccount: Budget;
  /** Failed logins from one address, across accounts: credential stuffing. */
  loginFailuresPerIp: Budget;
  /** Registrations from one address. */
  registrationsPerIp: Budget;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

const TABLE = "RateLimit";

/**
 * Login and registration limits, counted in SQLite by rate-limiter-flexible so they survive a
 * restart. Only failures count against an account, and an account's counter is per account:
 * failures elsewhere never block a correct login, and a lockout lasts one window at most.
 */
export class AuthRateLimiter {
  readonly #account: RateLimiterSQLite;
  readonly #ip: RateLimiterSQLite;
  readonly #register: RateLimiterSQLite;

  constructor(sqlite: Sqlite, policy: RateLimitPolicy) {
    const limiter = (keyPrefix: string, budget: Budget): RateLimiterSQLite =>
      new RateLimiterSQLite({
        storeClient: sqlite,
        storeType: "better-sqlite3",
        tableName: TABLE,
        tableCreated: true, // the Prisma migration owns the table
        keyPrefix,
        points: budget.points,
        duration: budget.seconds,
      });
    this.#account = limiter("login-account", policy.loginFailuresPerAccount);
    this.#ip = limiter("login-ip", policy.loginFailuresPerIp);
    this.#register = limiter("register-ip", policy.registrationsPerIp);
  }

  /** Whether a login may be tried now. It consumes nothing: only failures count. */
  async checkLogin(email: string, ip: string | null): Promise<LimitDecision> {
    const [account, address] = await Promise.all([this.#account.get(email), this.#ip.get(ipKey(ip))]);
    return decide([
      [account, this.#account.points],
      [address, this.#ip.points],
    ]);
  }

  async recordLoginFailure(email: string, ip: string | null): Promise<void> {
    await Promise.all([consume(this.#account, email), consume(this.#ip, ipKey(ip))]);
  }

  /** A correct password clears the account's failures; the address keeps its count. */
  async recordLoginSuccess(email: string): Promise<void> {
    await this.#account.delete(email);
  }

  /** Counts a registration attempt and says whether it may go ahead. */
  async consumeRegistration(ip: string | null): Promise<LimitDecision> {
    try {
      await this.#register.consume(ipKey(ip));
      return { ok: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: secondsOf(error) };
      throw error;
    }
  }
}

function ipKey(ip: string | null): string {
  return ip ?? "unknown";
}

function secondsOf(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

async function consume(limiter: RateLimiterSQLite, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error; // over budget already: nothing more to count
  }
}

function decide(entries: [RateLimiterRes | null, number][]): LimitDecision {
  let retryAfterSeconds = 0;
  for (const [res, points] of entries) {
    if (res && res.consumedPoints >= points) retryAfterSeconds = Math.max(retryAfterSeconds, secondsOf(res));
  }
  return retryAfterSeconds > 0 ? { ok: false, retryAfterSeconds } : { ok: true };
}
