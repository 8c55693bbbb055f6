import { describe, expect, it } from "vitest";
import { readTextField } from "@/lib/http/form-data";

describe("readTextField", () => {
  it("reads text, and treats a missing field or a file upload as missing", () => {
    const formData = new FormData();
    formData.set("email", "a@example.com");
    formData.set("empty", "");
    formData.set("upload", new File(["x"], "x.txt"));
    expect(readTextField(formData, "email")).toBe("a@example.com");
    expect(readTextField(formData, "empty")).toBe("");
    expect(readTextField(formData, "missing")).toBeUndefined();
    expect(readTextField(formData, "upload")).toBeUndefined();
  });
});
