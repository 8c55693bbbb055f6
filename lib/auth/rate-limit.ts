import type { Database as Sqlite } from "better-sqlite3";
import ipaddr from "ipaddr.js";
import pg from "pg";
import {
  type RateLimiterAbstract,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
} from "rate-limiter-flexible";

/** A budget: this many events per window of this many seconds. */
export interface Budget {
  points: number;
  seconds: number;
}

export interface RateLimitPolicy {
  /** Login attempts for one account from one address: the hard limit, the one that stops a guesser. */
  loginFailuresPerAccountAndIp: Budget;
  /**
   * Login attempts for one account from anywhere: much higher, so that a stranger who knows an
   * email cannot lock its owner out, yet a botnet still cannot guess without bound.
   */
  loginFailuresPerAccount: Budget;
  /** Login attempts from one address, across accounts: credential stuffing. */
  loginFailuresPerIp: Budget;
  /** Registrations from one address. */
  registrationsPerIp: Budget;
  /** New sessions (stored rows) from one address: a flood of anonymous writes. */
  newSessionsPerIp: Budget;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A login attempt that has taken its point from every budget. Exactly one of its methods is called. */
export interface LoginAttempt {
  /** The password was right: the point goes back, and this address's failures for the account are forgotten. */
  succeeded(): Promise<void>;
  /** The password was wrong: the point stays spent. */
  failed(): Promise<void>;
  /** The password was never checked (the pool was busy, the client left): the point goes back. */
  abandoned(): Promise<void>;
}

export type LoginDecision = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterSeconds: number };

const TABLE = "RateLimit";

/**
 * Login, registration and new-session limits, counted by rate-limiter-flexible in the database
 * (SQLite, or PostgreSQL through a pool) so they survive a restart and hold across processes and
 * servers. A login takes its point before the password is
 * checked, so N parallel guesses get at most the budget checked, and gives it back on success.
 * Addresses are counted per IPv4 address and per IPv6 /64, the block one client usually holds.
 */
export class AuthRateLimiter {
  readonly #accountAndIp: RateLimiterAbstract;
  readonly #account: RateLimiterAbstract;
  readonly #ip: RateLimiterAbstract;
  readonly #register: RateLimiterAbstract;
  readonly #sessions: RateLimiterAbstract;

  constructor(database: Sqlite | pg.Pool, policy: RateLimitPolicy) {
    const limiter = (keyPrefix: string, budget: Budget): RateLimiterAbstract => {
      // The Prisma migrations own the table, in both databases.
      const common = {
        tableName: TABLE,
        tableCreated: true,
        keyPrefix,
        points: budget.points,
        duration: budget.seconds,
      };
      return database instanceof pg.Pool
        ? new RateLimiterPostgres({ ...common, storeClient: database, storeType: "pool" })
        : new RateLimiterSQLite({ ...common, storeClient: database, storeType: "better-sqlite3" });
    };
    this.#accountAndIp = limiter("login-account-ip", policy.loginFailuresPerAccountAndIp);
    this.#account = limiter("login-account", policy.loginFailuresPerAccount);
    this.#ip = limiter("login-ip", policy.loginFailuresPerIp);
    this.#register = limiter("register-ip", policy.registrationsPerIp);
    this.#sessions = limiter("session-ip", policy.newSessionsPerIp);
  }

  /**
   * Takes one point from each login budget for `account` (an email, or a user id for a
   * re-authentication) and this address. If any budget is spent, every point goes back and the
   * attempt is refused: nothing is checked, and only checked passwords ever count.
   */
  async beginLogin(account: string, ip: string | null): Promise<LoginDecision> {
    const address = addressKey(ip);
    const budgets: [RateLimiterAbstract, string][] = [
      [this.#accountAndIp, `${account}|${address}`],
      [this.#account, account],
      [this.#ip, address],
    ];
    const refusals = (await Promise.all(budgets.map(([limiter, key]) => take(limiter, key)))).filter((r) => r !== null);
    const giveBack = async (): Promise<void> => {
      await Promise.all(budgets.map(([limiter, key]) => limiter.reward(key, 1)));
    };
    if (refusals.length > 0) {
      await giveBack();
      return { ok: false, retryAfterSeconds: Math.max(...refusals) };
    }
    return {
      ok: true,
      attempt: {
        succeeded: async () => {
          await giveBack();
          await this.#accountAndIp.delete(`${account}|${address}`);
        },
        failed: async () => undefined,
        abandoned: giveBack,
      },
    };
  }

  /** Counts a registration attempt and says whether it may go ahead. */
  async consumeRegistration(ip: string | null): Promise<LimitDecision> {
    return decide(await take(this.#register, addressKey(ip)));
  }

  /** Counts a new session from this address and says whether it may be stored. */
  async consumeNewSession(ip: string | null): Promise<LimitDecision> {
    return decide(await take(this.#sessions, addressKey(ip)));
  }
}

/**
 * The key an address is counted under: an IPv4 address as it is (also when written IPv4-mapped,
 * ::ffff:a.b.c.d), an IPv6 address by its /64, since one household or server gets a whole /64 and
 * could otherwise rotate through 2^64 keys.
 */
export function addressKey(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return ip ? `other:${ip.slice(0, 64)}` : "unknown";
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** Takes a point: null when it was there to take, else the seconds until the budget refills. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}

function decide(retryAfterSeconds: number | null): LimitDecision {
  return retryAfterSeconds === null ? { ok: true } : { ok: false, retryAfterSeconds };
}
