import { describe, expect, it } from "vitest";
import { isRaceKey, parseWriteCount, raceKey, RaceError, runRace, type RaceClient } from "@/app/lab/race/race";

describe("parseWriteCount", () => {
  it.each(["2", "20", " 50 "])("accepts %j", (input) => {
    expect(parseWriteCount(input)).toEqual({ ok: true, count: Number(input.trim()) });
  });

  it.each(["", "0", "1", "51", "500", "2.5", "-3", "abc", "1e1"])("refuses %j with the range", (input) => {
    const parsed = parseWriteCount(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^Choose a whole number of parallel writes from 2 to 50\./);
  });
});

describe("race keys", () => {
  it("are race-1 … race-N and nothing else", () => {
    expect(raceKey(7)).toBe("race-7");
    expect(isRaceKey("race-7")).toBe(true);
    expect(["race", "race-", "race-x", "my-race-1", "race-1-b"].filter(isRaceKey)).toEqual([]);
  });
});

/**
 * A fake API holding one session's data. `merges` chooses the engine: true applies each PUT to the
 * stored data when it arrives; false answers every racer from the data as it was when the race began,
 * and keeps the last answer, as a browser keeps the last cookie.
 */
function fakeApi(initial: Record<string, unknown>, merges: boolean): { client: RaceClient; calls: string[] } {
  let data: Record<string, unknown> | null = Object.keys(initial).length ? { ...initial } : null;
  let snapshot: Record<string, unknown> | null = null;
  let racing = 0;
  const calls: string[] = [];
  const json = (body: unknown, status = 200): Response => Response.json(body, { status });
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    calls.push(`${method} ${url}`);
    if (url === "/api/session") return json({ session: data ? { data } : null });
    const key = decodeURIComponent(url.replace("/api/session/keys/", ""));
    if (method === "DELETE") {
      if (!data || !(key in data)) return json({ error: "KeyError" }, 404);
      delete data[key];
      return new Response(null, { status: 204 });
    }
    const { value } = JSON.parse(String(init?.body)) as { value: unknown };
    if (merges || key === "race") {
      data = { ...data, [key]: value };
      return json({ key, value });
    }
    snapshot ??= { ...data };
    racing++;
    await new Promise((resolve) => setTimeout(resolve, racing % 3));
    data = { ...snapshot, [key]: value };
    return json({ key, value });
  }) as typeof globalThis.fetch;
  let clock = 0;
  return { client: { fetch, now: () => clock++ }, calls };
}

describe("runRace", () => {
  it("counts every write when the saves merge, and leaves the visitor's other keys alone", async () => {
    const { client, calls } = fakeApi({ cart: [1], "race-9": 9, "race-30": 30 }, true);
    const result = await runRace(5, client);
    expect(result.count).toBe(5);
    expect(result.survived).toBe(5);
    expect(result.writes.map((write) => write.key)).toEqual(["race-1", "race-2", "race-3", "race-4", "race-5"]);
    expect(result.writes.every((write) => write.status === 200 && write.endedMs >= write.startedMs)).toBe(true);
    // The last race's keys are cleared first, then the marker is written alone, before any racer.
    expect(calls.slice(0, 5)).toEqual([
      "GET /api/session",
      "DELETE /api/session/keys/race-9",
      "DELETE /api/session/keys/race-30",
      "PUT /api/session/keys/race",
      "PUT /api/session/keys/race-1",
    ]);
    expect(calls).not.toContain("DELETE /api/session/keys/cart");
  });

  it("counts only the keys the session kept when the last answer wins", async () => {
    const { client } = fakeApi({}, false);
    const result = await runRace(10, client);
    expect(result.survived).toBe(1);
    expect(result.writes.filter((write) => write.survived)).toHaveLength(1);
  });

  it("stops with the API's message when a step before the race fails", async () => {
    const client: RaceClient = {
      fetch: (async () => Response.json({ message: "Too many new sessions." }, { status: 429 })) as typeof fetch,
      now: () => 0,
    };
    await expect(runRace(3, client)).rejects.toThrow(
      new RaceError("Reading your session failed: Too many new sessions."),
    );
  });
});
