import { describe, expect, it } from "vitest";
import type { AdminUser } from "./api";
import { appendUsers, parseQuota, quotaInput, replaceUser } from "./admin";
import { makeAdminUser } from "./test/factories";
import { usedPercent } from "./usage";

const GB = 1024 ** 3;

function user(id: string, overrides: Partial<AdminUser> = {}): AdminUser {
  return makeAdminUser({
    id,
    username: `user${id}`,
    email: `${id}@example.com`,
    storage: { quota_bytes: 10 * GB, used_bytes: 0, file_count: 0, root_folder_id: `r${id}` },
    ...overrides,
  });
}

describe("parseQuota", () => {
  it.each([
    ["10", "GB", 10 * GB],
    ["2.5", "GB", 2.5 * GB],
    ["2,5", "GB", 2.5 * GB],
    [" 500 ", "MB", 500 * 1024 ** 2],
    ["1", "TB", 1024 ** 4],
    ["0", "GB", 0],
  ] as const)("%j %s", (text, unit, bytes) => {
    expect(parseQuota(text, unit)).toBe(bytes);
  });

  it.each(["", "ten", "-1", "1e3", "5 GB", "2000"])("refuses %j (2000 TB is past 1 PB)", (text) => {
    expect(parseQuota(text, "TB")).toBeNull();
  });
});

describe("quotaInput", () => {
  it.each([
    [10 * GB, { amount: "10", unit: "GB" }],
    [2.5 * GB, { amount: "2.5", unit: "GB" }],
    [2 * 1024 ** 4, { amount: "2", unit: "TB" }],
    [1.5 * 1024 ** 4, { amount: "1536", unit: "GB" }],
    [512 * 1024 ** 2, { amount: "512", unit: "MB" }],
  ])("%d bytes", (bytes, shown) => {
    expect(quotaInput(bytes)).toEqual(shown);
  });

  it("round-trips what it shows", () => {
    for (const bytes of [10 * GB, 3 * 1024 ** 4, 100 * 1024 ** 2]) {
      const { amount, unit } = quotaInput(bytes);
      expect(parseQuota(amount, unit)).toBe(bytes);
    }
  });
});

describe("the user list", () => {
  it("takes the fresh row a change answers", () => {
    const list = [user("1"), user("2")];
    const fresh = user("2", { disabled: true });
    expect(replaceUser(list, fresh)).toEqual([user("1"), fresh]);
  });

  it("appends a page without repeating a row", () => {
    expect(appendUsers([user("1"), user("2")], [user("2"), user("3")]).map((each) => each.id)).toEqual(["1", "2", "3"]);
  });
});

describe("usedPercent", () => {
  it.each([
    [0, 100, 0],
    [50, 100, 50],
    [150, 100, 100],
    [1, 0, 100],
    [0, 0, 0],
  ])("%d of %d is %d%%", (used, quota, percent) => {
    expect(usedPercent(used, quota)).toBe(percent);
  });
});
