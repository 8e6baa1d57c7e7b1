import { describe, expect, it } from "vitest";
import type { Share } from "./api";
import { downloadLimit, expirySeconds, sharePasswordProblem, shareState, withNewShare } from "./shares";

function share(overrides: Partial<Share> = {}): Share {
  return {
    id: "s1",
    node_id: "n1",
    created_at: "2026-11-23T12:00:00Z",
    expires_at: "2026-11-30T12:00:00Z",
    password_required: false,
    max_downloads: null,
    downloads: 0,
    status: "active",
    ...overrides,
  };
}

describe("expirySeconds", () => {
  it.each([
    ["1h", 3_600],
    ["1d", 86_400],
    ["7d", 604_800],
    ["30d", 2_592_000],
  ] as const)("the %s preset", (choice, seconds) => {
    expect(expirySeconds(choice, "", "hours")).toEqual({ seconds });
  });

  it.each([
    ["1", "minutes", 60],
    ["90", "minutes", 5_400],
    ["12", "hours", 43_200],
    ["30", "days", 2_592_000],
    [" 2 ", "days", 172_800],
  ] as const)("custom %s %s", (amount, unit, seconds) => {
    expect(expirySeconds("custom", amount, unit)).toEqual({ seconds });
  });

  it.each([
    ["0", "minutes"],
    ["31", "days"],
    ["721", "hours"],
    ["", "hours"],
    ["1.5", "hours"],
    ["-3", "days"],
    ["ten", "days"],
  ] as const)("refuses %j %s: outside 60 s … 30 days or not a whole number", (amount, unit) => {
    expect(expirySeconds("custom", amount, unit)).toEqual({ problem: "expiry_range" });
  });
});

describe("downloadLimit", () => {
  it.each([
    ["", null],
    ["  ", null],
    ["1", 1],
    ["10000", 10_000],
  ])("%j is %s", (text, limit) => {
    expect(downloadLimit(text)).toEqual({ limit });
  });

  it.each(["0", "10001", "2.5", "x", "-1"])("refuses %j", (text) => {
    expect(downloadLimit(text)).toEqual({ problem: "limit_range" });
  });
});

describe("sharePasswordProblem", () => {
  it.each([
    ["", null],
    ["abcd", null],
    ["x".repeat(128), null],
    ["abc", "share_password_length"],
    ["x".repeat(129), "share_password_length"],
    ["😀😀😀😀", null],
  ])("%j", (password, problem) => {
    expect(sharePasswordProblem(password)).toBe(problem);
  });
});

describe("shareState", () => {
  const now = Date.parse("2026-11-25T00:00:00Z");
  it("keeps what the server says of a link that is not active", () => {
    expect(shareState(share({ status: "revoked" }), now)).toBe("revoked");
  });
  it("reads a link past its time as expired before the job marks it", () => {
    expect(shareState(share({ expires_at: "2026-11-24T23:59:59Z" }), now)).toBe("expired");
  });
  it("reads a link with every download used as used up", () => {
    expect(shareState(share({ max_downloads: 3, downloads: 3 }), now)).toBe("used_up");
    expect(shareState(share({ max_downloads: 3, downloads: 2 }), now)).toBe("active");
  });
});

describe("withNewShare", () => {
  it("puts the new link first, once", () => {
    const made = share({ id: "new" });
    expect(withNewShare([share(), made], made).map((each) => each.id)).toEqual(["new", "s1"]);
  });
});
