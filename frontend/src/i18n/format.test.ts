import { describe, expect, it } from "vitest";
import { formatBytes } from "./index";

describe("formatBytes", () => {
  it.each([
    ["en", 0, "0 B"],
    ["en", 1023, "1,023 B"],
    ["en", 1536, "1.5 kB"],
    ["en", 10 * 1024 ** 3, "10 GB"],
    ["ko", 0, "0 B"],
  ] as const)("%s %d → %s", (lang, bytes, expected) => {
    expect(formatBytes(lang, bytes)).toBe(expected);
  });
});
