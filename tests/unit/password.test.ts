import { beforeAll, describe, expect, it } from "vitest";
import { configurePasswordPool, hashPassword, PasswordPoolBusyError, verifyPassword } from "@/lib/auth/password";

// One worker, so "first come, first served" has a single observable order: the order of completion.
const QUEUE_LIMIT = 16;
configurePasswordPool({ workers: 1, queueLimit: QUEUE_LIMIT });

describe("the bcrypt worker pool", () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword("correct horse", 4);
  });

  it("checks passwords off the calling thread, right and wrong", async () => {
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("wrong horse", hash)).toBe(false);
  });

  it("serves a steady stream of checks first come, first served, so none starves", async () => {
    // Eight clients that each send the next check as soon as the last one answers, like a login storm.
    const submitted: number[] = [];
    const finished: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let round = 0; round < 8; round++) {
          const id = next++;
          submitted.push(id);
          await verifyPassword("correct horse", hash);
          finished.push(id);
        }
      }),
    );
    expect(finished).toEqual(submitted);
  });

  it("drops a check whose caller went away while it waited, and serves the rest", async () => {
    const gone = new AbortController();
    const first = verifyPassword("correct horse", hash);
    const abandoned = verifyPassword("correct horse", hash, gone.signal);
    const last = verifyPassword("correct horse", hash);
    gone.abort();
    await expect(abandoned).rejects.toMatchObject({ name: "AbortError" });
    expect(await Promise.all([first, last])).toEqual([true, true]);
  });

  it("still answers a caller that goes away only after its check started", async () => {
    const gone = new AbortController();
    const checking = verifyPassword("correct horse", hash, gone.signal);
    await new Promise((resolve) => setTimeout(resolve, 0));
    gone.abort();
    expect(await checking).toBe(true);
  });

  it("bounds the queue: past its limit a check is refused at once with a retry time, and the queued ones still finish", async () => {
    const slow = await hashPassword("correct horse", 8);
    const queued = Array.from({ length: QUEUE_LIMIT + 1 }, () => verifyPassword("correct horse", slow));
    const refused = verifyPassword("correct horse", slow);
    await expect(refused).rejects.toBeInstanceOf(PasswordPoolBusyError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect((await Promise.all(queued)).every(Boolean)).toBe(true);
    // Once drained, checks are accepted again.
    expect(await verifyPassword("correct horse", slow)).toBe(true);
  });
});
