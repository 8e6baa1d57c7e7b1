// Uploads with Uppy, and the only module that knows it: @uppy/aws-s3 in multipart mode drives
// our /uploads routes, so the server picks the part size, signs every PUT, checks the size on
// completion and settles the quota, while the bytes go from the browser straight to S3.
//
//   add ─ preprocess: POST /uploads ········ (or GET /uploads/{id}/parts for a file that a
//   │                                          reload interrupted: Uppy must know the part
//   │                                          size before it cuts the file)
//   ├─ createMultipartUpload: the upload the preprocessor started
//   ├─ signPart × n: POST /uploads/{id}/parts, ten part numbers per request
//   ├─ PUT × n straight to S3, six at a time; S3's ETag header from each
//   └─ completeMultipartUpload: POST /uploads/{id}/complete
//   pause → resume: listParts (GET /uploads/{id}/parts), then only the missing parts
//   cancel, or a failure after Uppy's retries: abortMultipartUpload (DELETE /uploads/{id})
//
// Uppy's major version is pinned (package.json): @uppy/aws-s3 6 signs requests its own way
// and completes uploads with S3 directly, which would skip our `complete`.
import AwsS3, { type AwsS3Part, type AwsS3UploadParameters } from "@uppy/aws-s3";
import Uppy, { type Body, type Meta, type UppyFile } from "@uppy/core";
import { ApiError, type ApiClient, type DriveNode, type PartUrls, type UploadPart } from "./api";
import { ResumeStore, type UnfinishedUpload } from "./resume";

/** The routes an upload uses; the app's ApiClient, or one aimed at a test server. */
export type UploadApi = Pick<ApiClient, "startUpload" | "signParts" | "uploadParts" | "completeUpload" | "abortUpload">;

// ---- Uppy's shapes ↔ the contract's ------------------------------------------------------

/** GET /uploads/{id}/parts → what Uppy's listParts answers. */
export function toAwsParts(parts: readonly UploadPart[]): AwsS3Part[] {
  return parts.map((part) => ({ PartNumber: part.part_number, ETag: part.etag, Size: part.size }));
}

/** Uppy's finished parts → the body of POST /uploads/{id}/complete: every part, ascending. */
export function toCompletedParts(parts: readonly AwsS3Part[]): { part_number: number; etag: string }[] {
  return parts
    .map((part) => {
      if (part.PartNumber === undefined || !part.ETag) {
        throw new ApiError({ status: 0, code: "upload_failed", message: "A part has no ETag." });
      }
      return { part_number: part.PartNumber, etag: part.ETag };
    })
    .sort((a, b) => a.part_number - b.part_number);
}

// One plain `type/subtype` (RFC 6838 names), which the API stores as it is (lower-cased). It
// refuses a list, parameters or quotes; a browser's "" for an unknown type means bytes.
const PLAIN_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** What the browser says a file is, as the API accepts it, else `application/octet-stream`. */
export function contentTypeOf(file: { type: string }): string {
  return PLAIN_TYPE.test(file.type) ? file.type : "application/octet-stream";
}

// ---- signing parts in batches ------------------------------------------------------------

interface Signed {
  url: string;
  expiresAt: number;
}

/**
 * Presigned part URLs, asked for ten part numbers at a time so a file of n parts needs about
 * n/10 signing requests. Each URL is handed out once: a part sent again (a retry, a resume)
 * is signed again, so it never meets a URL that expired meanwhile.
 */
export class PartSigner {
  private readonly cache = new Map<string, Map<number, Promise<Signed | null>>>();

  constructor(
    private readonly sign: (uploadId: string, partNumbers: number[]) => Promise<PartUrls>,
    private readonly options: { ahead?: number; now?: () => number; marginMs?: number } = {},
  ) {}

  /** Keeps a URL the server gave already (the one part's PUT of POST /uploads). */
  seed(uploadId: string, partNumber: number, url: string, expiresAt: string): void {
    this.partsOf(uploadId).set(partNumber, Promise.resolve({ url, expiresAt: Date.parse(expiresAt) }));
  }

  async url(uploadId: string, partNumber: number, partCount: number): Promise<string> {
    const parts = this.partsOf(uploadId);
    const cached = parts.get(partNumber);
    if (cached) {
      parts.delete(partNumber);
      const signed = await cached;
      const now = (this.options.now ?? Date.now)();
      if (signed && signed.expiresAt - (this.options.marginMs ?? 30_000) > now) return signed.url;
      // Its batch-mates expire with it: sign them all again.
      parts.clear();
    }
    const ahead = this.options.ahead ?? 10;
    const numbers = [partNumber];
    for (let next = partNumber + 1; next <= partCount && numbers.length < ahead; next++) {
      if (!parts.has(next)) numbers.push(next);
    }
    const request = this.sign(uploadId, numbers);
    for (const number of numbers.slice(1)) {
      parts.set(
        number,
        request.then(
          (reply) => signedOf(reply, number),
          () => null, // whoever needs this part asks again
        ),
      );
    }
    const signed = signedOf(await request, partNumber);
    if (!signed) throw new ApiError({ status: 0, code: "upload_failed", message: "No URL for this part." });
    return signed.url;
  }

  forget(uploadId: string): void {
    this.cache.delete(uploadId);
  }

  private partsOf(uploadId: string): Map<number, Promise<Signed | null>> {
    let parts = this.cache.get(uploadId);
    if (!parts) {
      parts = new Map();
      this.cache.set(uploadId, parts);
    }
    return parts;
  }
}

function signedOf(reply: PartUrls, partNumber: number): Signed | null {
  const url = reply.urls[String(partNumber)];
  return url === undefined ? null : { url, expiresAt: Date.parse(reply.expires_at) };
}

// ---- the bridge between Uppy's callbacks and our routes ----------------------------------

interface Prepared {
  uploadId: string;
  partSize: number;
  partCount: number;
  /** What GET /uploads/{id}/parts said when resuming; Uppy's first listParts uses it. */
  held: UploadPart[] | null;
}

/** A file to upload: the browser's File (or any Blob, in tests) and where it goes. */
export interface Outgoing {
  data: Blob;
  name: string;
  parentId: string;
}

/** Until the server names one: S3's smallest part is 5 MiB, our default 8 MiB. */
const FALLBACK_PART_SIZE = 8 * 1024 * 1024;

/**
 * Uppy's S3 callbacks on our routes, keyed by the file's bytes (the Blob: Uppy hands
 * `getChunkSize` nothing else). Holds the upload each file is in and remembers multipart
 * uploads in the ResumeStore until they complete or are aborted.
 */
export class S3Bridge {
  private readonly prepared = new WeakMap<Blob, Prepared | { error: unknown }>();
  private readonly aborted = new Set<string>();
  private stopped = false;
  readonly signer: PartSigner;

  constructor(
    private readonly api: UploadApi,
    private readonly store: ResumeStore,
    private readonly userId: string,
    private readonly onUploaded: (node: DriveNode) => void = () => undefined,
  ) {
    this.signer = new PartSigner((uploadId, numbers) => api.signParts(uploadId, numbers));
  }

  /**
   * Starts the upload of a file (once), or finds the one a reload interrupted. Answers the
   * upload id when it resumes one; failures are kept for `create` to report on the file.
   */
  async prepare(file: Outgoing): Promise<{ resumed: string | null }> {
    const known = this.prepared.get(file.data);
    if (known && !("error" in known)) return { resumed: null };
    try {
      const resumed = await this.resume(file);
      if (resumed) {
        this.prepared.set(file.data, resumed);
        return { resumed: resumed.uploadId };
      }
      this.prepared.set(file.data, await this.start(file));
    } catch (error) {
      this.prepared.set(file.data, { error });
    }
    return { resumed: null };
  }

  private async resume(file: Outgoing): Promise<Prepared | null> {
    const entry = this.store.find(this.userId, file.parentId, picked(file));
    if (!entry) return null;
    try {
      const held = await this.api.uploadParts(entry.upload_id);
      return {
        uploadId: entry.upload_id,
        partSize: held.part_size,
        partCount: held.part_count,
        held: held.parts,
      };
    } catch (error) {
      // Completed, aborted or expired meanwhile: start again.
      if (error instanceof ApiError && error.status === 404) {
        this.store.forget(entry.upload_id);
        return null;
      }
      throw error;
    }
  }

  private async start(file: Outgoing): Promise<Prepared> {
    const started = await this.api.startUpload({
      parent_id: file.parentId,
      name: file.name,
      size: file.data.size,
      content_type: contentTypeOf(file.data),
    });
    if (started.part_count > 1) {
      const { size, lastModified } = picked(file);
      this.store.save({
        upload_id: started.upload_id,
        user_id: this.userId,
        parent_id: file.parentId,
        name: file.name,
        size,
        last_modified: lastModified,
        part_count: started.part_count,
      });
    }
    if (started.url !== undefined && started.expires_at !== undefined) {
      this.signer.seed(started.upload_id, 1, started.url, started.expires_at);
    }
    return {
      uploadId: started.upload_id,
      partSize: started.part_size,
      partCount: started.part_count,
      held: null,
    };
  }

  /** The upload a prepared file is in, if it got one. */
  uploadIdOf(data: Blob): string | null {
    const known = this.prepared.get(data);
    return known && !("error" in known) ? known.uploadId : null;
  }

  chunkSize(data: Blob): number {
    const known = this.prepared.get(data);
    return known && !("error" in known) ? known.partSize : FALLBACK_PART_SIZE;
  }

  create(data: Blob): { uploadId: string; key: string } {
    const known = this.prepared.get(data);
    if (!known) throw new ApiError({ status: 0, code: "upload_failed", message: "The upload did not start." });
    if ("error" in known) {
      this.prepared.delete(data); // a retry starts again
      throw known.error;
    }
    return { uploadId: known.uploadId, key: known.uploadId };
  }

  async signPart(data: Blob, uploadId: string, partNumber: number): Promise<AwsS3UploadParameters> {
    const known = this.preparedOf(data);
    // Every URL is an UploadPart URL with only its length signed (one part for a small file).
    return { method: "PUT", url: await this.signer.url(uploadId, partNumber, known.partCount) };
  }

  async listParts(data: Blob, uploadId: string): Promise<AwsS3Part[]> {
    const known = this.prepared.get(data);
    if (known && !("error" in known) && known.held) {
      const held = known.held;
      known.held = null;
      return toAwsParts(held);
    }
    return toAwsParts((await this.api.uploadParts(uploadId)).parts);
  }

  async complete(data: Blob, uploadId: string, parts: readonly AwsS3Part[]): Promise<DriveNode> {
    const known = this.prepared.get(data);
    // One part: the server completes it with what S3 holds (an empty part for a 0-byte file).
    const single = known && !("error" in known) ? known.partCount === 1 : parts.length <= 1;
    const node = await this.api.completeUpload(uploadId, single ? undefined : toCompletedParts(parts));
    this.settle(data, uploadId);
    this.onUploaded(node);
    return node;
  }

  /** Cancels an upload once, however many paths ask (Uppy's abort, a removed file). */
  async abort(data: Blob | null, uploadId: string): Promise<void> {
    // Signing out stops the sending but keeps the uploads, to resume after signing in again.
    if (this.stopped) return;
    this.settle(data, uploadId);
    if (this.aborted.has(uploadId)) return;
    this.aborted.add(uploadId);
    try {
      await this.api.abortUpload(uploadId);
    } catch (error) {
      // Gone already (completed, aborted, expired); the server expires the others in a day.
      if (!(error instanceof ApiError)) throw error;
    }
  }

  /** From now on nothing is aborted: the page is going away, not the uploads. */
  stop(): void {
    this.stopped = true;
  }

  private settle(data: Blob | null, uploadId: string): void {
    if (data) this.prepared.delete(data);
    this.store.forget(uploadId);
    this.signer.forget(uploadId);
  }

  private preparedOf(data: Blob): Prepared {
    const known = this.prepared.get(data);
    if (!known || "error" in known) {
      throw new ApiError({ status: 0, code: "upload_failed", message: "The upload did not start." });
    }
    return known;
  }
}

function picked(file: Outgoing): { name: string; size: number; lastModified: number } {
  const lastModified = file.data instanceof File ? file.data.lastModified : 0;
  return { name: file.name, size: file.data.size, lastModified };
}

// ---- the uploader the pages use ----------------------------------------------------------

export type UploadState = "waiting" | "uploading" | "paused" | "done" | "failed";

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  parentId: string;
  sent: number;
  percent: number;
  state: UploadState;
  error: unknown;
}

export interface UploadsSnapshot {
  items: UploadItem[];
  /** Of every listed file that has not failed, 0–100. */
  percent: number;
  /** Files still waiting or on their way (paused ones included). */
  active: number;
}

interface UploadMeta extends Meta {
  parentId: string;
  relativePath: string;
}

type Upload = UppyFile<UploadMeta, Body>;

const EMPTY: UploadsSnapshot = { items: [], percent: 0, active: 0 };

function dataOf(file: Upload): Blob {
  if (!file.data) throw new ApiError({ status: 0, code: "upload_failed", message: "The file has no data." });
  return file.data as Blob;
}

function finished(file: Upload): boolean {
  return Boolean(file.progress.uploadComplete) || Boolean(file.error);
}

/** S3 or the network refused a PUT (no ApiError from us): say so in our words. */
function readable(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : "Upload failed";
  return new ApiError({ status: 0, code: "upload_failed", message });
}

export class Uploader {
  private readonly uppy: Uppy<UploadMeta, Body>;
  private readonly bridge: S3Bridge;
  private readonly errors = new Map<string, unknown>();
  private readonly listeners = new Set<(snapshot: UploadsSnapshot) => void>();
  private readonly uploadedListeners = new Set<(node: DriveNode) => void>();
  private snapshotCache: UploadsSnapshot = EMPTY;
  private scheduled = false;

  constructor(
    api: UploadApi,
    private readonly userId: string,
    private readonly store: ResumeStore = new ResumeStore(),
  ) {
    this.bridge = new S3Bridge(api, store, userId, (node) => {
      for (const listener of this.uploadedListeners) listener(node);
    });
    const bridge = this.bridge;
    this.uppy = new Uppy<UploadMeta, Body>({
      id: "teamdrive",
      autoProceed: false,
      allowMultipleUploadBatches: true,
      // The same file again after it finished (or failed) replaces it; never twice at once.
      onBeforeFileAdded: (file, files) => {
        const old = files[file.id];
        return !old || finished(old);
      },
    });
    this.uppy.use(AwsS3<UploadMeta, Body>, {
      shouldUseMultipart: true,
      limit: 6,
      getChunkSize: (data) => bridge.chunkSize(data as Blob),
      createMultipartUpload: (file) => bridge.create(dataOf(file)),
      signPart: (file, { uploadId, partNumber }) => bridge.signPart(dataOf(file), uploadId, partNumber),
      listParts: (file, { uploadId }) => bridge.listParts(dataOf(file), uploadId ?? ""),
      completeMultipartUpload: async (file, { uploadId, parts }) => {
        await bridge.complete(dataOf(file), uploadId, parts);
        return {};
      },
      abortMultipartUpload: (file, { uploadId }) => bridge.abort(file.data ? dataOf(file) : null, uploadId ?? ""),
    });
    this.uppy.addPreProcessor(this.preprocess);
    this.uppy.on("upload-error", (file, error) => {
      if (file) this.errors.set(file.id, readable(error));
    });
    this.uppy.on("file-removed", (file) => {
      this.errors.delete(file.id);
      const uploadId = file.data ? bridge.uploadIdOf(file.data as Blob) : null;
      if (uploadId !== null && !file.progress.uploadComplete) void bridge.abort(dataOf(file), uploadId);
    });
    this.uppy.on("upload-retry", (file) => {
      this.errors.delete(file.id);
    });
    this.uppy.on("state-update", this.changed);
  }

  private readonly preprocess = async (fileIDs: string[]): Promise<void> => {
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = this.file(id);
        if (!file?.data) return;
        const data = file.data as Blob;
        const { resumed } = await this.bridge.prepare({ data, name: file.name, parentId: file.meta.parentId });
        const uploadId = this.bridge.uploadIdOf(data);
        if (!this.file(id)) {
          // Cancelled while the upload was being started.
          if (uploadId !== null) await this.bridge.abort(data, uploadId);
          return;
        }
        if (resumed !== null) {
          // Uppy resumes a file whose state names its upload: listParts, then the rest.
          const state = { s3Multipart: { uploadId: resumed, key: resumed } } as Partial<Upload>;
          this.uppy.setFileState(id, state);
        }
      }),
    );
  };

  /** Uppy's getFile answers undefined for a file that is gone, whatever its type says. */
  private file(id: string): Upload | undefined {
    return this.uppy.getState().files[id];
  }

  /** Queues files into folders and starts sending them. `path` keeps same-named files apart. */
  add(files: readonly { file: File; parentId: string; path?: string }[]): void {
    if (files.length === 0) return;
    this.uppy.addFiles(
      files.map(({ file, parentId, path }) => ({
        name: file.name,
        type: file.type,
        data: file,
        source: "teamdrive",
        isRemote: false,
        meta: { parentId, relativePath: `${parentId}/${path ?? file.name}` },
      })),
    );
    this.uppy.upload().catch(() => {
      // Each file's failure is on that file (upload-error); nothing else to report.
    });
  }

  pause(id: string): void {
    const file = this.file(id);
    if (file && !file.isPaused && !finished(file)) this.uppy.pauseResume(id);
  }

  resume(id: string): void {
    if (this.file(id)?.isPaused) this.uppy.pauseResume(id);
  }

  retry(id: string): void {
    this.errors.delete(id);
    this.uppy.retryUpload(id).catch(() => undefined);
  }

  /** Stops a file's upload and deletes what was sent of it. */
  cancel(id: string): void {
    this.uppy.removeFile(id);
  }

  cancelAll(): void {
    this.uppy.cancelAll();
  }

  /** Takes finished and failed files off the list. */
  clearFinished(): void {
    const done = this.uppy.getFiles().filter((file) => finished(file));
    if (done.length > 0) this.uppy.removeFiles(done.map((file) => file.id));
  }

  /** Multipart uploads an earlier page left unfinished, and not being sent now. */
  unfinished(): UnfinishedUpload[] {
    const sending = new Set(
      this.uppy
        .getFiles()
        .map((file) => (file.data ? this.bridge.uploadIdOf(file.data as Blob) : null))
        .filter((id) => id !== null),
    );
    return this.store.list(this.userId).filter((entry) => !sending.has(entry.upload_id));
  }

  /** Gives up an unfinished upload: the server deletes its parts and frees the space. */
  discard(entry: UnfinishedUpload): Promise<void> {
    return this.bridge.abort(null, entry.upload_id).then(this.changed);
  }

  snapshot(): UploadsSnapshot {
    return this.snapshotCache;
  }

  subscribe(listener: (snapshot: UploadsSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  onUploaded(listener: (node: DriveNode) => void): () => void {
    this.uploadedListeners.add(listener);
    return () => {
      this.uploadedListeners.delete(listener);
    };
  }

  /** Stops sending (on signing out); unfinished uploads stay resumable. */
  destroy(): void {
    this.listeners.clear();
    this.uploadedListeners.clear();
    this.bridge.stop();
    this.uppy.destroy();
  }

  /** Uppy changes state many times a second while sending; redraw at most once a frame. */
  private readonly changed = (): void => {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = (): void => {
      this.scheduled = false;
      this.snapshotCache = this.build();
      for (const listener of this.listeners) listener(this.snapshotCache);
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  };

  private build(): UploadsSnapshot {
    const items = this.uppy.getFiles().map((file): UploadItem => {
      const size = file.size ?? 0;
      const done = Boolean(file.progress.uploadComplete);
      const error = this.errors.get(file.id) ?? (file.error ? readable(new Error(file.error)) : null);
      const sent = done ? size : file.progress.bytesUploaded || 0;
      let state: UploadState = "waiting";
      if (done) state = "done";
      else if (error !== null) state = "failed";
      else if (file.isPaused) state = "paused";
      else if (file.progress.uploadStarted) state = "uploading";
      return {
        id: file.id,
        name: file.name,
        size,
        parentId: file.meta.parentId,
        sent,
        percent: size > 0 ? Math.min(100, Math.floor((sent / size) * 100)) : done ? 100 : 0,
        state,
        error,
      };
    });
    const counted = items.filter((item) => item.state !== "failed");
    const total = counted.reduce((sum, item) => sum + item.size, 0);
    const sent = counted.reduce((sum, item) => sum + item.sent, 0);
    const percent =
      total > 0
        ? Math.floor((sent / total) * 100)
        : counted.length > 0 && counted.every((item) => item.state === "done")
          ? 100
          : 0;
    const active = items.filter((item) => item.state !== "done" && item.state !== "failed").length;
    return { items, percent, active };
  }
}
