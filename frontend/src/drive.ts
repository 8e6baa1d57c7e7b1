// What the drive pages decide without the DOM: the sort in the address, the kind of file a
// node is (for its icon), selection with shift-click ranges, and merging fresh pages.
import { SORTS, type DriveNode, type Sort } from "./api";

export type SortField = "name" | "created" | "size";

export function parseSort(value: string | null): Sort {
  return (SORTS as readonly (string | null)[]).includes(value) ? (value as Sort) : "name";
}

export function sortField(sort: Sort): SortField {
  return sort.replace(/^-/, "") as SortField;
}

export function sortDescending(sort: Sort): boolean {
  return sort.startsWith("-");
}

/** Clicking a column: the same one flips its direction, another starts ascending. */
export function nextSort(current: Sort, field: SortField): Sort {
  if (sortField(current) !== field) return field;
  return sortDescending(current) ? field : `-${field}`;
}

export type FileCategory = "folder" | "image" | "video" | "audio" | "pdf" | "document" | "archive" | "other";

const ARCHIVES = new Set(["zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "tar", "zst"]);
const DOCUMENTS = new Set([
  "txt",
  "md",
  "doc",
  "docx",
  "odt",
  "rtf",
  "xls",
  "xlsx",
  "ods",
  "csv",
  "ppt",
  "pptx",
  "odp",
  "epub",
]);

function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** The kind of thing a node is, from its content type and then its name. */
export function fileCategory(node: Pick<DriveNode, "kind" | "name" | "content_type">): FileCategory {
  if (node.kind === "folder") return "folder";
  const type = (node.content_type ?? "").toLowerCase();
  const ext = extension(node.name);
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  if (type === "application/pdf" || ext === "pdf") return "pdf";
  if (/zip|compressed|x-tar|gzip|x-7z|x-rar|zstd/.test(type) || ARCHIVES.has(ext)) return "archive";
  if (type.startsWith("text/") || /word|excel|powerpoint|officedocument|opendocument|rtf|epub/.test(type)) {
    return "document";
  }
  return DOCUMENTS.has(ext) ? "document" : "other";
}

export function canWrite(node: Pick<DriveNode, "access">): boolean {
  return node.access !== "read";
}

/**
 * The selection after a click on `id`: alone it toggles that item; with shift it selects
 * everything from the last clicked item (the anchor) to this one, as file managers do.
 */
export function clickSelection(
  selected: ReadonlySet<string>,
  order: readonly string[],
  id: string,
  options: { shift: boolean; anchor: string | null },
): Set<string> {
  const next = new Set(selected);
  const from = options.anchor === null ? -1 : order.indexOf(options.anchor);
  const to = order.indexOf(id);
  if (options.shift && from >= 0 && to >= 0) {
    const [low, high] = from < to ? [from, to] : [to, from];
    for (const each of order.slice(low, high + 1)) next.add(each);
    return next;
  }
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** `items` with each node that `fresh` also has replaced by its newer copy. */
export function mergeFresh(items: readonly DriveNode[], fresh: readonly DriveNode[]): DriveNode[] {
  const byId = new Map(fresh.map((node) => [node.id, node]));
  return items.map((node) => byId.get(node.id) ?? node);
}

/** Whether a thumbnail is still being made for something in the list (worth asking again). */
export function hasPendingThumbnails(items: readonly DriveNode[]): boolean {
  return items.some((node) => node.kind === "file" && node.status === "ready" && node.thumbnail.status === "pending");
}

/** A node that is not in the list yet goes where the current sort puts it (folders first). */
export function insertSorted(items: readonly DriveNode[], node: DriveNode, sort: Sort): DriveNode[] {
  const rest = items.filter((each) => each.id !== node.id);
  const index = rest.findIndex((each) => compareNodes(node, each, sort) < 0);
  if (index < 0) return [...rest, node];
  return [...rest.slice(0, index), node, ...rest.slice(index)];
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

function compareNodes(a: DriveNode, b: DriveNode, sort: Sort): number {
  if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
  const field = sortField(sort);
  let order: number;
  if (field === "created") order = a.created_at.localeCompare(b.created_at);
  else if (field === "size" && a.kind === "file") order = a.size - b.size;
  else order = collator.compare(a.name, b.name);
  if (order === 0) order = collator.compare(a.name, b.name);
  return sortDescending(sort) && !(field === "size" && a.kind === "folder") ? -order : order;
}
