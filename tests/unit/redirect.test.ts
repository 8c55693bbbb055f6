import { describe, expect, it } from "vitest";
import { DEFAULT_REDIRECT, safeRedirectPath } from "@/lib/auth/redirect";

describe("safeRedirectPath", () => {
  it("defaults to /dashboard", () => {
    expect(DEFAULT_REDIRECT).toBe("/dashboard");
  });

  // Django's url_has_allowed_host_and_scheme cases, and their cousins.
  it.each<[string, unknown]>([
    ["a protocol-relative URL", "//example.com"],
    ["three slashes", "///example.com"],
    ["a scheme with an empty authority", "http:///example.com"],
    ["backslashes", "\\\\example.com"],
    ["a slash and a backslash", "/\\example.com"],
    ["backslashes in the authority", "http:\\\\testserver\\@example.com"],
    ["a javascript: URL", 'javascript:alert("XSS")'],
    ["a newline before a javascript: URL", "\njavascript:alert(x)"],
    ["a control character before //", "\x08//example.com"],
    ["a scheme with a port-like number", "http:999999999"],
    ["an encoded backslash", "/%5C/evil.com"],
    ["encoded dot-segments", "/..%2F..%2Fevil.com"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a bare host name", "malicious.com?.example.com"],
    ["an absolute URL", "https://example.com"],
    ["a tab inside //", "/\t/example.com"],
    ["an encoded second slash", "/%2Fexample.com"],
    ["a dot-segment", "/a/../../evil"],
    ["a malformed escape", "/%E0%A4%A"],
    ["an empty string", ""],
    ["a path over 2048 characters", `/${"a".repeat(2048)}`],
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["an array", ["/account"]],
  ])("falls back for %s", (_label, next) => {
    expect(safeRedirectPath(next)).toBe("/dashboard");
  });

  it.each(["/dashboard?x=1", "/account", "/", "/a/b?c=d&e=f#section", "/caf%C3%A9"])("keeps %j exactly", (next) => {
    expect(safeRedirectPath(next)).toBe(next);
  });

  it("uses the fallback it is given", () => {
    expect(safeRedirectPath("//evil.example", "/login")).toBe("/login");
  });
});
