// The drive's decisions without the DOM: the sort in the address, the kind of a file,
// selection with shift-click ranges, and keeping a loaded list in order as it changes.
import { describe, expect, it } from "vitest";
import type { DriveNode } from "./api";
import {
  clickSelection,
  fileCategory,
  hasPendingThumbnails,
  insertSorted,
  mergeFresh,
  nextSort,
  parseSort,
  sortDescending,
  sortField,
} from "./drive";
import { makeNode } from "./test/factories";

describe("sort", () => {
  it.each([
    ["name", "name"],
    ["-created", "-created"],
    ["-size", "-size"],
    [null, "name"],
    ["", "name"],
    ["size desc", "name"],
    ["NAME", "name"],
  ] as const)("parses %s as %s", (value, expected) => {
    expect(parseSort(value)).toBe(expected);
  });

  it("splits into a field and a direction", () => {
    expect(sortField("-created")).toBe("created");
    expect(sortDescending("-created")).toBe(true);
    expect(sortDescending("size")).toBe(false);
  });

  it.each([
    ["name", "name", "-name"],
    ["-name", "name", "name"],
    ["name", "size", "size"],
    ["-created", "size", "size"],
    ["size", "size", "-size"],
  ] as const)("from %s, clicking %s gives %s", (current, field, expected) => {
    expect(nextSort(current, field)).toBe(expected);
  });
});

describe("fileCategory", () => {
  it.each([
    [{ kind: "folder", name: "Photos", content_type: null }, "folder"],
    [{ name: "a.heic", content_type: "image/heic" }, "image"],
    [{ name: "clip.mov", content_type: "video/quicktime" }, "video"],
    [{ name: "song.mp3", content_type: "audio/mpeg" }, "audio"],
    [{ name: "paper.pdf", content_type: "application/pdf" }, "pdf"],
    [{ name: "paper.PDF", content_type: "application/octet-stream" }, "pdf"],
    [{ name: "notes.txt", content_type: "text/plain" }, "document"],
    [
      { name: "plan.docx", content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
      "document",
    ],
    [{ name: "data.csv", content_type: "application/octet-stream" }, "document"],
    [{ name: "backup.zip", content_type: "application/zip" }, "archive"],
    [{ name: "logs.tar.gz", content_type: "application/octet-stream" }, "archive"],
    [{ name: "blob", content_type: "application/octet-stream" }, "other"],
    [{ name: ".env", content_type: null }, "other"],
  ] as const)("%o is %s", (fields, expected) => {
    expect(fileCategory(makeNode(fields))).toBe(expected);
  });
});

describe("clickSelection", () => {
  const order = ["a", "b", "c", "d", "e"];

  it("toggles one item on a plain click", () => {
    const once = clickSelection(new Set(), order, "c", { shift: false, anchor: null });
    expect([...once]).toEqual(["c"]);
    expect([...clickSelection(once, order, "c", { shift: false, anchor: "c" })]).toEqual([]);
  });

  it("selects the range from the anchor on shift-click, either way", () => {
    expect([...clickSelection(new Set(["b"]), order, "d", { shift: true, anchor: "b" })].sort()).toEqual([
      "b",
      "c",
      "d",
    ]);
    expect([...clickSelection(new Set(["e"]), order, "c", { shift: true, anchor: "e" })].sort()).toEqual([
      "c",
      "d",
      "e",
    ]);
  });

  it("keeps what was selected outside the range", () => {
    const next = clickSelection(new Set(["a", "c"]), order, "e", { shift: true, anchor: "c" });
    expect([...next].sort()).toEqual(["a", "c", "d", "e"]);
  });

  it("toggles when shift has no anchor in the list (it scrolled away or was deleted)", () => {
    expect([...clickSelection(new Set(), order, "b", { shift: true, anchor: "gone" })]).toEqual(["b"]);
    expect([...clickSelection(new Set(), order, "b", { shift: true, anchor: null })]).toEqual(["b"]);
  });

  it("does not change the set it was given", () => {
    const before = new Set(["a"]);
    clickSelection(before, order, "b", { shift: false, anchor: null });
    expect([...before]).toEqual(["a"]);
  });
});

describe("lists", () => {
  it("merges fresh copies by id and keeps the order and the others", () => {
    const items = [makeNode({ id: "a" }), makeNode({ id: "b", thumbnail: { status: "pending" } })];
    const fresh = [makeNode({ id: "b", thumbnail: { status: "ready", url: "https://t/b" } }), makeNode({ id: "z" })];
    const merged = mergeFresh(items, fresh);
    expect(merged.map((each) => each.id)).toEqual(["a", "b"]);
    expect(merged[1]?.thumbnail.url).toBe("https://t/b");
  });

  it("waits for thumbnails of ready files only", () => {
    expect(hasPendingThumbnails([makeNode({ thumbnail: { status: "pending" } })])).toBe(true);
    expect(hasPendingThumbnails([makeNode({ status: "uploading", thumbnail: { status: "pending" } })])).toBe(false);
    expect(
      hasPendingThumbnails([makeNode({ thumbnail: { status: "failed" } }), makeNode({ thumbnail: { status: "none" } })]),
    ).toBe(false);
  });

  const folder = makeNode({ id: "f", kind: "folder", name: "Zeta", size: 0, content_type: null });
  const small = makeNode({ id: "s", name: "b.txt", size: 1, created_at: "2026-01-01T00:00:00Z" });
  const large = makeNode({ id: "l", name: "a.txt", size: 9, created_at: "2026-03-01T00:00:00Z" });

  it.each([
    ["name", [folder, large, small]],
    ["-name", [folder, small, large]],
    ["size", [folder, small, large]],
    ["-size", [folder, large, small]],
    ["created", [folder, small, large]],
    ["-created", [folder, large, small]],
  ] as const)("inserts where %s puts it, folders first", (sort, expected) => {
    let items: DriveNode[] = [];
    for (const each of [small, large, folder]) items = insertSorted(items, each, sort);
    expect(items.map((each) => each.id)).toEqual(expected.map((each) => each.id));
  });

  it("moves a renamed node instead of adding it twice", () => {
    const items = [makeNode({ id: "a", name: "a" }), makeNode({ id: "b", name: "b" })];
    const renamed = insertSorted(items, makeNode({ id: "a", name: "c" }), "name");
    expect(renamed.map((each) => each.name)).toEqual(["b", "c"]);
  });

  it("orders names as people read them: case-insensitive, numbers by value", () => {
    let items: DriveNode[] = [];
    for (const name of ["img10.jpg", "IMG2.jpg", "img1.jpg"])
      items = insertSorted(items, makeNode({ id: name, name }), "name");
    expect(items.map((each) => each.name)).toEqual(["img1.jpg", "IMG2.jpg", "img10.jpg"]);
  });
});
