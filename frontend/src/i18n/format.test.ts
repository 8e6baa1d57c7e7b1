import { describe, expect, it } from "vitest";
import { formatAgo, formatBytes } from "./index";

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

describe("formatAgo", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it.each([
    ["en", "2026-12-01T11:59:30Z", "now"],
    ["en", "2026-12-01T12:00:05Z", "now"],
    ["en", "2026-12-01T11:55:00Z", "5 minutes ago"],
    ["en", "2026-12-01T09:00:00Z", "3 hours ago"],
    ["en", "2026-11-30T11:00:00Z", "yesterday"],
    ["ko", "2026-12-01T11:55:00Z", "5분 전"],
    ["en", "not a date", "not a date"],
  ] as const)("%s %s → %s", (lang, iso, expected) => {
    expect(formatAgo(lang, iso, now)).toBe(expected);
  });
});
