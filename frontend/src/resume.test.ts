// Unfinished uploads survive a reload in storage, per person, until they finish, are
// discarded, or are too old for the server to still hold them.
import { describe, expect, it } from "vitest";
import { ResumeStore, sameFile, type UnfinishedUpload } from "./resume";

function memory(): Pick<Storage, "getItem" | "setItem"> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      data.set(key, value);
    },
  };
}

const entry: Omit<UnfinishedUpload, "saved_at"> = {
  upload_id: "up1",
  user_id: "u1",
  parent_id: "f1",
  name: "film.mov",
  size: 40 * 1024 * 1024,
  last_modified: 1_700_000_000_000,
  part_count: 5,
};
const file = { name: "film.mov", size: 40 * 1024 * 1024, lastModified: 1_700_000_000_000 };

describe("ResumeStore", () => {
  it("finds an upload by folder, name, size and last-modified time", () => {
    const store = new ResumeStore({ storage: memory(), now: () => 1000 });
    store.save(entry);
    expect(store.find("u1", "f1", file)?.upload_id).toBe("up1");
    expect(store.find("u1", "f2", file)).toBeNull();
    expect(store.find("u1", "f1", { ...file, size: file.size - 1 })).toBeNull();
    expect(store.find("u1", "f1", { ...file, lastModified: 1 })).toBeNull();
    expect(store.find("u1", "f1", { ...file, name: "Film.mov" })).toBeNull();
  });

  it("keeps each person's uploads apart", () => {
    const store = new ResumeStore({ storage: memory(), now: () => 1000 });
    store.save(entry);
    expect(store.list("u2")).toEqual([]);
    expect(store.find("u2", "f1", file)).toBeNull();
  });

  it("lists newest first and replaces an entry saved again", () => {
    let now = 1000;
    const store = new ResumeStore({ storage: memory(), now: () => now });
    store.save(entry);
    now = 2000;
    store.save({ ...entry, upload_id: "up2", name: "b" });
    now = 3000;
    store.save(entry);
    expect(store.list("u1").map((each) => each.upload_id)).toEqual(["up1", "up2"]);
  });

  it("forgets an upload once it completes or is aborted", () => {
    const storage = memory();
    const store = new ResumeStore({ storage, now: () => 1000 });
    store.save(entry);
    store.forget("up1");
    expect(store.list("u1")).toEqual([]);
    store.forget("never-saved"); // no error
  });

  it("drops entries older than a day: the server has aborted those uploads", () => {
    let now = 0;
    const store = new ResumeStore({ storage: memory(), now: () => now });
    store.save(entry);
    now = 24 * 60 * 60 * 1000 + 1;
    expect(store.list("u1")).toEqual([]);
  });

  it("survives storage that is broken, full, or off", () => {
    const broken = memory();
    broken.data.set("teamdrive.uploads", "{not json");
    expect(new ResumeStore({ storage: broken }).list("u1")).toEqual([]);
    broken.data.set("teamdrive.uploads", JSON.stringify([{ upload_id: 1 }, "x", null]));
    expect(new ResumeStore({ storage: broken }).list("u1")).toEqual([]);

    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => {
      new ResumeStore({ storage: full }).save(entry);
    }).not.toThrow();
    const off = new ResumeStore({ storage: null });
    off.save(entry);
    expect(off.list("u1")).toEqual([]);
  });

  it("compares a picked file with an entry", () => {
    const saved = { ...entry, saved_at: 1 };
    expect(sameFile(saved, "f1", file)).toBe(true);
    expect(sameFile(saved, "f1", { ...file, lastModified: file.lastModified + 1 })).toBe(false);
  });
});
