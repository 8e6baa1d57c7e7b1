// Dropped and picked folders: their tree read from the browser's entries or relative paths,
// and their folders made in the drive (merging into one that exists under the same name).
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ApiClient, type DriveNode } from "./api";
import { makeFolders, pickedTree, walkEntries } from "./dropped";
import { makeNode } from "./test/factories";
import { BASE, wireServer } from "./test/wire";

const server = wireServer();

function picked(path: string): File {
  const file = new File(["x"], path.split("/").pop() ?? path);
  Object.defineProperty(file, "webkitRelativePath", { value: path });
  return file;
}

/** A folder or file entry as the browser hands them over; a folder reads in batches of two. */
function fileEntry(name: string): FileSystemFileEntry {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file: (done: (file: File) => void) => {
      done(new File(["x"], name));
    },
  } as unknown as FileSystemFileEntry;
}

function dirEntry(name: string, children: FileSystemEntry[]): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (done: (entries: FileSystemEntry[]) => void) => {
          const batch = children.slice(at, at + 2);
          at += 2;
          done(batch);
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

describe("reading what was dropped", () => {
  it("walks folders to the bottom, batch after batch, empty ones included", async () => {
    const tree = await walkEntries([
      fileEntry("loose.txt"),
      dirEntry("Trip", [
        fileEntry("a.jpg"),
        fileEntry("b.jpg"),
        fileEntry("c.jpg"),
        dirEntry("Day 2", [fileEntry("d.jpg")]),
        dirEntry("Empty", []),
      ]),
    ]);
    expect(tree.files.map(({ file, dirs }) => [...dirs, file.name].join("/"))).toEqual([
      "loose.txt",
      "Trip/a.jpg",
      "Trip/b.jpg",
      "Trip/c.jpg",
      "Trip/Day 2/d.jpg",
    ]);
    expect(tree.folders).toEqual([["Trip"], ["Trip", "Day 2"], ["Trip", "Empty"]]);
  });

  it("reads a picked folder from each file's relative path, parents first", () => {
    const tree = pickedTree([picked("Trip/Day 2/d.jpg"), picked("Trip/a.jpg"), picked("")]);
    expect(tree.folders).toEqual([["Trip"], ["Trip", "Day 2"]]);
    expect(tree.files.map((each) => each.dirs)).toEqual([["Trip", "Day 2"], ["Trip"], []]);
  });
});

function folder(id: string, name: string, kind: DriveNode["kind"] = "folder"): DriveNode {
  return makeNode({ id, kind, name, size: 0, content_type: null });
}

describe("makeFolders", () => {
  it("makes each folder inside its parent", async () => {
    const made: unknown[] = [];
    server.use(
      http.post(`${BASE}/folders`, async ({ request }) => {
        const body = (await request.json()) as { parent_id: string; name: string };
        made.push(body);
        return HttpResponse.json({ node: folder(`id-${body.name}`, body.name) }, { status: 201 });
      }),
    );
    const ids = await makeFolders(new ApiClient({ baseUrl: BASE }), "root", [["Trip"], ["Trip", "Day 2"]]);
    expect(made).toEqual([
      { parent_id: "root", name: "Trip" },
      { parent_id: "id-Trip", name: "Day 2" },
    ]);
    expect(ids.get("")).toBe("root");
    expect(ids.get("Trip/Day 2")).toBe("id-Day 2");
  });

  it("merges into a folder of that name (any case) that exists already", async () => {
    server.use(
      http.post(`${BASE}/folders`, () =>
        HttpResponse.json({ error: { code: "name_taken", message: "Taken." } }, { status: 409 }),
      ),
      http.get(`${BASE}/folders/root`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        const items =
          cursor === null ? [folder("f1", "Other")] : [folder("f2", "trip"), folder("x", "trip.txt", "file")];
        return HttpResponse.json({
          folder: folder("root", ""),
          path: [],
          items,
          next_cursor: cursor === null ? "c2" : null,
        });
      }),
    );
    const ids = await makeFolders(new ApiClient({ baseUrl: BASE }), "root", [["Trip"]]);
    expect(ids.get("Trip")).toBe("f2");
  });

  it("fails when the name belongs to a file", async () => {
    server.use(
      http.post(`${BASE}/folders`, () =>
        HttpResponse.json({ error: { code: "name_taken", message: "Taken." } }, { status: 409 }),
      ),
      http.get(`${BASE}/folders/root`, () =>
        HttpResponse.json({
          folder: folder("root", ""),
          path: [],
          items: [folder("x", "Trip", "file")],
          next_cursor: "more",
        }),
      ),
    );
    await expect(makeFolders(new ApiClient({ baseUrl: BASE }), "root", [["Trip"]])).rejects.toMatchObject({
      code: "name_taken",
    });
  });
});
