import { describe, expect, it } from "vitest";
import { rejectionMessage } from "@/lib/next/messages";
import { ENGINE_CATALOGUE } from "@/lib/session/engine-catalogue";
import { END_REASONS } from "@/lib/session/record";

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

  it.each(END_REASONS)("tells the holder of a session ended early why: %s", (reason) => {
    expect(rejectionMessage(reason, db)).toMatch(/\w/);
  });

  it("names the administrator when one ended the session", () => {
    expect(rejectionMessage("ended_by_admin", db)).toContain("An administrator ended your session");
  });

  it("says nothing for no reason or an unknown one", () => {
    expect(rejectionMessage(null, db)).toBeNull();
    expect(rejectionMessage("made-up", cookie)).toBeNull();
  });
});
