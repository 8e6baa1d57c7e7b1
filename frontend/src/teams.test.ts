import { describe, expect, it } from "vitest";
import type { SharedFolder, TeamDetail } from "./api";
import { allPages, canLeave, canUnshare, inviteTarget, personName, sharedWithMe, teamHref } from "./teams";

function folder(id: string, owner: string, name = id): SharedFolder {
  return {
    folder_id: id,
    name,
    access: "read",
    owner_id: owner,
    shared_by: { id: owner, username: owner, nickname: null },
    shared_at: "2026-11-23T12:00:00Z",
  };
}

function detail(id: string, leader: string, folders: SharedFolder[] = [], members = 2): TeamDetail {
  return {
    team: { id, name: `Team ${id}`, leader_id: leader, member_count: members, created_at: "2026-11-23T12:00:00Z" },
    members: [],
    shared_folders: folders,
  };
}

describe("personName", () => {
  it.each([
    [{ id: "1", username: "mina", nickname: "Mina" }, "Mina"],
    [{ id: "1", username: "mina", nickname: "  " }, "mina"],
    [{ id: "1", username: "mina", nickname: null }, "mina"],
    [{ id: "1", username: null, nickname: null }, null],
  ])("%j", (person, name) => {
    expect(personName(person)).toBe(name);
  });
});

describe("what a member may do", () => {
  const team = detail("t", "lead", [folder("f", "sharer")]);
  it("the sharer and the leader may stop a share, others not", () => {
    const shared = team.shared_folders[0];
    if (!shared) throw new Error("no folder");
    expect(canUnshare(team, shared, "sharer")).toBe(true);
    expect(canUnshare(team, shared, "lead")).toBe(true);
    expect(canUnshare(team, shared, "someone")).toBe(false);
  });
  it("a leader leaves only a team of one", () => {
    expect(canLeave(team, "someone")).toBe(true);
    expect(canLeave(team, "lead")).toBe(false);
    expect(canLeave(detail("t", "lead", [], 1), "lead")).toBe(true);
  });
});

describe("inviteTarget", () => {
  it.each([
    ["  Bob ", { username: "bob" }],
    ["bob@example.com", { email: "bob@example.com" }],
    ["   ", null],
  ])("%j", (text, target) => {
    expect(inviteTarget(text)).toEqual(target);
  });
});

describe("sharedWithMe", () => {
  it("lists what others share, by name, leaving out my own folders", () => {
    const details = [
      detail("a", "x", [folder("1", "me", "Mine"), folder("2", "x", "zebra")]),
      detail("b", "y", [folder("3", "y", "Apple")]),
    ];
    const found = sharedWithMe(details, "me");
    expect(found.map((each) => [each.folder.name, each.team.id])).toEqual([
      ["Apple", "b"],
      ["zebra", "a"],
    ]);
  });
});

describe("allPages", () => {
  it("reads one page after another until the cursor ends", async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: "c2" },
      c2: { items: [3], next_cursor: null },
    };
    const seen: (string | null)[] = [];
    const items = await allPages((cursor) => {
      seen.push(cursor);
      return Promise.resolve(pages[cursor ?? "start"] ?? { items: [], next_cursor: null });
    });
    expect(items).toEqual([1, 2, 3]);
    expect(seen).toEqual([null, "c2"]);
  });
});

it("teamHref escapes the id", () => {
  expect(teamHref("a/b")).toBe("/teams/a%2Fb");
});
