// Files and whole folders dropped on the page: read the dropped tree (the browser's
// FileSystem entries), then make its folders in the drive, reusing one that exists already
// under the same name, so each file can go where it was.
import { ApiError, type ApiClient } from "./api";

export interface DroppedFile {
  file: File;
  /** The folders from the dropped one down to the file's own; empty for a loose file. */
  dirs: string[];
}

/**
 * The dropped entries, read at once: the browser empties `items` when the drop handler
 * returns, so this part cannot wait.
 */
export function entriesOf(transfer: DataTransfer): { entries: FileSystemEntry[]; files: File[] } {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== "file") continue;
    const entry = typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  }
  // Without entries (an old browser), only the loose files are known.
  return { entries, files: entries.length > 0 ? [] : Array.from(transfer.files) };
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => {
    entry.file(resolve, reject);
  });
}

/** Every entry of a folder: the reader answers in batches until one comes back empty. */
async function childrenOf(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => {
      reader.readEntries(resolve, reject);
    });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** What was dropped: its files, and its folders (empty ones too), each parent before its children. */
export interface DroppedTree {
  files: DroppedFile[];
  folders: string[][];
}

export async function walkEntries(entries: readonly FileSystemEntry[]): Promise<DroppedTree> {
  const tree: DroppedTree = { files: [], folders: [] };
  const visit = async (list: readonly FileSystemEntry[], dirs: string[]): Promise<void> => {
    for (const entry of list) {
      if (entry.isFile) {
        tree.files.push({ file: await fileOf(entry as FileSystemFileEntry), dirs });
      } else if (entry.isDirectory) {
        const inside = [...dirs, entry.name];
        tree.folders.push(inside);
        await visit(await childrenOf(entry as FileSystemDirectoryEntry), inside);
      }
    }
  };
  await visit(entries, []);
  return tree;
}

/** Files from a picker; a picked folder names each file's place in `webkitRelativePath`. */
export function pickedTree(files: readonly File[]): DroppedTree {
  const folders = new Map<string, string[]>();
  const out = files.map((file) => {
    const dirs = file.webkitRelativePath
      .split("/")
      .slice(0, -1)
      .filter((part) => part !== "");
    for (let depth = 1; depth <= dirs.length; depth++) {
      const path = dirs.slice(0, depth);
      folders.set(path.join("/"), path);
    }
    return { file, dirs };
  });
  return { files: out, folders: [...folders.values()].sort((a, b) => a.length - b.length) };
}

type FolderApi = Pick<ApiClient, "createFolder" | "folder">;

/** A folder of this name in `parentId`, compared as the server does (ignoring case). */
async function existingFolder(api: FolderApi, parentId: string, name: string): Promise<string | null> {
  const wanted = name.toLocaleLowerCase();
  let cursor: string | null = null;
  do {
    const page = await api.folder(parentId, { cursor, limit: 200 });
    for (const item of page.items) {
      if (item.kind === "folder" && item.name.toLocaleLowerCase() === wanted) return item.id;
    }
    // Folders come first: past them, there is no folder to find.
    if (page.items.some((item) => item.kind === "file")) return null;
    cursor = page.next_cursor;
  } while (cursor !== null);
  return null;
}

/**
 * Makes the dropped folders under `rootId` and answers each path's folder id ("" is
 * `rootId`). A name already taken by a folder merges into it, as a copy onto a desktop does.
 */
export async function makeFolders(
  api: FolderApi,
  rootId: string,
  paths: readonly string[][],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>([["", rootId]]);
  for (const path of paths) {
    const parentId = ids.get(path.slice(0, -1).join("/")) ?? rootId;
    const name = path[path.length - 1] ?? "";
    let id: string;
    try {
      id = (await api.createFolder(parentId, name)).id;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "name_taken")) throw error;
      const found = await existingFolder(api, parentId, name);
      if (found === null) throw error;
      id = found;
    }
    ids.set(path.join("/"), id);
  }
  return ids;
}
