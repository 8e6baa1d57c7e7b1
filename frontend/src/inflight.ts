// The uploads in progress into the signed-in person's drive without the DOM: reading them a
// page at a time, cancelling one (an upload that finished or stopped meanwhile is gone too),
// and how a row names who sends it.
import { ApiError, type ApiClient, type UploadInProgress } from "./api";
import { personName } from "./teams";

export interface InflightList {
  items: UploadInProgress[];
  /** The next page's cursor, null once every upload is listed. */
  cursor: string | null;
}

/** The first page. */
export async function readInflight(client: ApiClient): Promise<InflightList> {
  const page = await client.uploadsInProgress();
  return { items: page.items, cursor: page.next_cursor };
}

/** The list with its next page added (an upload listed twice, once). */
export async function moreInflight(client: ApiClient, list: InflightList): Promise<InflightList> {
  if (list.cursor === null) return list;
  const page = await client.uploadsInProgress({ cursor: list.cursor });
  const seen = new Set(list.items.map((item) => item.upload_id));
  return {
    items: [...list.items, ...page.items.filter((item) => !seen.has(item.upload_id))],
    cursor: page.next_cursor,
  };
}

/**
 * Cancels one upload. "cancelled" when this call stopped it, "gone" when it had already
 * completed or been cancelled (404): either way it holds no space any more. Anything else
 * (a network failure, a refusal) is thrown and the upload stays listed.
 */
export async function cancelInflight(client: ApiClient, uploadId: string): Promise<"cancelled" | "gone"> {
  try {
    await client.abortUpload(uploadId);
    return "cancelled";
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return "gone";
    throw error;
  }
}

export function withoutUpload(list: InflightList, uploadId: string): InflightList {
  return { ...list, items: list.items.filter((item) => item.upload_id !== uploadId) };
}

/** Who sends an upload: "you" for the caller, else their name; null for a closed account. */
export function senderOf(upload: UploadInProgress, userId: string): "you" | { name: string | null } {
  if (upload.uploaded_by.id === userId) return "you";
  return { name: personName(upload.uploaded_by) };
}

/** The bytes the listed uploads hold (all of them once `cursor` is null). */
export function heldBytes(items: readonly UploadInProgress[]): number {
  return items.reduce((sum, item) => sum + item.size, 0);
}

export interface OthersUploading {
  /** How many of the listed uploads others send; `more` when further pages were not read. */
  count: number;
  more: boolean;
  bytes: number;
  /** The one upload, when there is exactly one. */
  only: UploadInProgress | null;
}

/** What others are uploading into the drive among the listed uploads, or null for nothing. */
export function othersUploading(list: InflightList, userId: string): OthersUploading | null {
  const theirs = list.items.filter((item) => item.uploaded_by.id !== userId);
  if (theirs.length === 0) return null;
  const more = list.cursor !== null;
  const only = theirs.length === 1 && !more ? (theirs[0] ?? null) : null;
  return { count: theirs.length, more, bytes: heldBytes(theirs), only };
}
