// Where sign-in may send a person next: only somewhere on this site.
import { describe, expect, it } from "vitest";
import { safeNext } from "./router";

describe("safeNext", () => {
  it.each([
    ["a path", "/account", "/account"],
    ["a path with a query", "/account?tab=1", "/account?tab=1"],
    ["nothing", null, "/drive"],
    ["another site", "https://evil.example/", "/drive"],
    ["protocol-relative", "//evil.example/", "/drive"],
    ["backslash trick", "/\\evil.example", "/drive"],
    ["javascript URL", "javascript:alert(1)", "/drive"],
    ["relative path", "account", "/drive"],
  ])("%s", (_label, value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });
});
