import { beforeAll, describe, expect, it } from "vitest";

// One worker, so "first come, first served" has a single observable order: the order of completion.
process.env.BCRYPT_WORKERS = "1";
const { hashPassword, verifyPassword } = await import("@/lib/auth/password");

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
});
