import { describe, expect, it } from "vitest";
import { rejectionMessage } from "@/lib/next/messages";
import { ENGINE_CATALOGUE } from "@/lib/session/engine-catalogue";

const { db, cached_db, cache, file, cookie } = ENGINE_CATALOGUE;

describe("rejectionMessage", () => {
  it("says what logging out deleted under the engines that keep the session on the server", () => {
    expect(rejectionMessage("logged_out", db)).toContain("The session's row is deleted");
    expect(rejectionMessage("logged_out", cached_db)).toContain("The session's row is deleted");
    expect(rejectionMessage("logged_out", cache)).toContain("The session's Redis key is deleted");
    expect(rejectionMessage("logged_out", file)).toContain("The session's file is deleted");
  });

  it("does not claim a deleted row under the cookie engine, which keeps none", () => {
    expect(rejectionMessage("logged_out", cookie)).toContain("a copy of the old cookie would still open the session");
    expect(rejectionMessage("flushed", cookie)).not.toContain("its row is deleted");
    expect(rejectionMessage("idle", cookie)).toBe(rejectionMessage("idle", db));
  });

  it("says nothing for no reason or an unknown one", () => {
    expect(rejectionMessage(null, db)).toBeNull();
    expect(rejectionMessage("made-up", cookie)).toBeNull();
  });
});
