// Where sign-in may send a person next: only somewhere on this site.
import { describe, expect, it } from "vitest";
import { safeNext } from "./router";

describe("safeNext", () => {
  it.each([
    ["a path", "/account", "/account"],
    ["a path with a query", "/account?tab=1", "/account?tab=1"],
    ["nothing", null, "/account"],
    ["another site", "https://evil.example/", "/account"],
    ["protocol-relative", "//evil.example/", "/account"],
    ["backslash trick", "/\\evil.example", "/account"],
    ["javascript URL", "javascript:alert(1)", "/account"],
    ["relative path", "account", "/account"],
  ])("%s", (_label, value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });
});
