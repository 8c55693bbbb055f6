import { describe, expect, it } from "vitest";
import { rejectionMessage } from "@/lib/next/messages";

describe("rejectionMessage", () => {
  it("says the row is gone after a logout under the engines that keep one", () => {
    for (const engine of [undefined, "db", "cached_db", "cache", "file"]) {
      expect(rejectionMessage("logged_out", engine)).toContain("The session row is deleted");
    }
  });

  it("does not claim a deleted row under the cookie engine, which keeps none", () => {
    expect(rejectionMessage("logged_out", "cookie")).toContain("a copy of the old cookie would still open the session");
    expect(rejectionMessage("flushed", "cookie")).not.toContain("its row is deleted");
    expect(rejectionMessage("idle", "cookie")).toBe(rejectionMessage("idle"));
  });

  it("says nothing for no reason or an unknown one", () => {
    expect(rejectionMessage(null)).toBeNull();
    expect(rejectionMessage("made-up", "cookie")).toBeNull();
  });
});
