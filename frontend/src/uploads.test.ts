// Uppy's S3 callbacks on our /uploads routes, against MSW at the wire: the part size the
// server picks, part URLs signed ten at a time, parts listed to resume, completion with every
// ETag in order, one abort however many ask, and an interrupted upload found again.
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, type DriveNode, type PartUrls } from "./api";
import { ResumeStore } from "./resume";
import { makeNode } from "./test/factories";
import { BASE, wireServer } from "./test/wire";
import { contentTypeOf, PartSigner, S3Bridge, toAwsParts, toCompletedParts } from "./uploads";

const MIB = 1024 * 1024;
const server = wireServer();

function fileNode(overrides: Partial<DriveNode> = {}): DriveNode {
  return makeNode({
    id: "up1",
    name: "film.mov",
    parent_id: "f1",
    size: 20 * MIB,
    content_type: "video/quicktime",
    status: "uploading",
    ...overrides,
  });
}

function memoryStore(): ResumeStore {
  const data = new Map<string, string>();
  return new ResumeStore({
    storage: { getItem: (key) => data.get(key) ?? null, setItem: (key, value) => data.set(key, value) },
  });
}

function bytes(size: number, name = "film.mov", type = "video/quicktime"): File {
  return new File([new Uint8Array(size)], name, { type, lastModified: 1_700_000_000_000 });
}

const inFuture = new Date(Date.now() + 15 * 60_000).toISOString().replace(/\.\d+Z$/, "Z");

describe("shapes", () => {
  it("turns listed parts into Uppy's", () => {
    expect(toAwsParts([{ part_number: 2, etag: '"b"', size: 8 }])).toEqual([{ PartNumber: 2, ETag: '"b"', Size: 8 }]);
  });

  it("completes with every part once, ascending, quotes kept", () => {
    const parts = [
      { PartNumber: 3, ETag: '"c"' },
      { PartNumber: 1, ETag: '"a"' },
      { PartNumber: 2, ETag: '"b"' },
    ];
    expect(toCompletedParts(parts)).toEqual([
      { part_number: 1, etag: '"a"' },
      { part_number: 2, etag: '"b"' },
      { part_number: 3, etag: '"c"' },
    ]);
  });

  it("refuses a part S3 gave no ETag (a bucket whose CORS hides it)", () => {
    expect(() => toCompletedParts([{ PartNumber: 1 }])).toThrow(ApiError);
  });

  it.each([
    ["image/jpeg", "image/jpeg"],
    ["application/vnd.ms-excel", "application/vnd.ms-excel"],
    ["", "application/octet-stream"],
    ["nonsense", "application/octet-stream"],
    ["text/plain; a=b, text/html", "application/octet-stream"],
    ["image/png; x=1, text/html", "application/octet-stream"],
    ['application/pdf;x="",text/html', "application/octet-stream"],
    ["image/png;x=1", "application/octet-stream"],
    ["image/svg+xml", "image/svg+xml"],
  ])("sends %j as %s", (type, expected) => {
    expect(contentTypeOf({ type })).toBe(expected);
  });
});

describe("PartSigner", () => {
  function signer(partCount: number, expiresAt = inFuture) {
    const calls: number[][] = [];
    const sign = vi.fn((_uploadId: string, numbers: number[]): Promise<PartUrls> => {
      calls.push(numbers);
      return Promise.resolve({
        urls: Object.fromEntries(numbers.map((n) => [String(n), `https://s3/part${String(n)}`])),
        expires_at: expiresAt,
      });
    });
    return { calls, sign, partCount, signer: new PartSigner(sign) };
  }

  it("asks for ten parts at a time, once for parts wanted together", async () => {
    const { calls, signer: parts } = signer(25);
    const urls = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => parts.url("up1", n, 25)));
    expect(urls).toEqual([1, 2, 3, 4, 5, 6].map((n) => `https://s3/part${String(n)}`));
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    for (const n of [7, 8, 9, 10, 11]) await parts.url("up1", n, 25);
    expect(calls).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
    ]);
  });

  it("never asks past the last part", async () => {
    const { calls, signer: parts } = signer(3);
    await parts.url("up1", 2, 3);
    expect(calls).toEqual([[2, 3]]);
  });

  it("hands out each URL once: a part sent again is signed again", async () => {
    const { calls, signer: parts } = signer(5);
    await parts.url("up1", 1, 5);
    await parts.url("up1", 1, 5);
    expect(calls).toEqual([[1, 2, 3, 4, 5], [1]]);
  });

  it("signs again instead of using a URL about to expire", async () => {
    const soon = new Date(Date.now() + 10_000).toISOString();
    const { calls, signer: parts } = signer(4, soon);
    await parts.url("up1", 1, 4);
    await parts.url("up1", 2, 4);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [2, 3, 4],
    ]);
  });

  it("uses a URL the server gave already without asking", async () => {
    const { calls, signer: parts } = signer(1);
    parts.seed("up1", 1, "https://s3/whole", inFuture);
    expect(await parts.url("up1", 1, 1)).toBe("https://s3/whole");
    expect(calls).toEqual([]);
  });

  it("asks again for parts whose batch failed", async () => {
    let fail = true;
    const parts = new PartSigner((_id, numbers) => {
      if (fail) {
        fail = false;
        return Promise.reject(new ApiError({ status: 0, code: "network", message: "offline" }));
      }
      return Promise.resolve({
        urls: Object.fromEntries(numbers.map((n) => [String(n), `u${String(n)}`])),
        expires_at: inFuture,
      });
    });
    await expect(parts.url("up1", 1, 3)).rejects.toThrow(ApiError);
    expect(await parts.url("up1", 2, 3)).toBe("u2");
  });
});

describe("S3Bridge", () => {
  function bridge(store = memoryStore(), onUploaded = vi.fn()) {
    return { store, onUploaded, bridge: new S3Bridge(new ApiClient({ baseUrl: BASE }), store, "u1", onUploaded) };
  }

  it("starts the upload before Uppy cuts the file, with the server's part size", async () => {
    let body: unknown = null;
    server.use(
      http.post(`${BASE}/uploads`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          { upload_id: "up1", file: fileNode(), part_size: 8 * MIB, part_count: 3 },
          { status: 201 },
        );
      }),
    );
    const { bridge: s3, store } = bridge();
    const data = bytes(20 * MIB);
    expect(await s3.prepare({ data, name: "film.mov", parentId: "f1" })).toEqual({ resumed: null });
    expect(body).toEqual({ parent_id: "f1", name: "film.mov", size: 20 * MIB, content_type: "video/quicktime" });
    expect(s3.chunkSize(data)).toBe(8 * MIB);
    expect(s3.create(data)).toEqual({ uploadId: "up1", key: "up1" });
    // Remembered, so a reload can resume it.
    expect(store.find("u1", "f1", data)?.upload_id).toBe("up1");
    // Preparing again (a retry that reaches the preprocessor) starts nothing new.
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
  });

  it("signs parts ten at a time and PUTs them with only their length signed", async () => {
    const asked: unknown[] = [];
    server.use(
      http.post(`${BASE}/uploads`, () =>
        HttpResponse.json({ upload_id: "up1", file: fileNode(), part_size: 8 * MIB, part_count: 3 }, { status: 201 }),
      ),
      http.post(`${BASE}/uploads/up1/parts`, async ({ request }) => {
        const { part_numbers: numbers } = (await request.json()) as { part_numbers: number[] };
        asked.push(numbers);
        return HttpResponse.json({
          urls: Object.fromEntries(numbers.map((n) => [String(n), `https://s3/p${String(n)}`])),
          expires_at: inFuture,
        });
      }),
    );
    const { bridge: s3 } = bridge();
    const data = bytes(20 * MIB);
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
    const signed = await Promise.all([1, 2, 3].map((n) => s3.signPart(data, "up1", n)));
    expect(signed).toEqual([1, 2, 3].map((n) => ({ method: "PUT", url: `https://s3/p${String(n)}` })));
    expect(asked).toEqual([[1, 2, 3]]);
  });

  it("sends a one-part file to the part URL the server gave, and completes it without parts", async () => {
    let completeBody: unknown = "none";
    server.use(
      http.post(`${BASE}/uploads`, () =>
        HttpResponse.json(
          {
            upload_id: "up1",
            file: fileNode({ content_type: "image/jpeg", size: 5 }),
            part_size: 8 * MIB,
            part_count: 1,
            url: "https://s3/whole",
            expires_at: inFuture,
          },
          { status: 201 },
        ),
      ),
      http.post(`${BASE}/uploads/up1/complete`, async ({ request }) => {
        completeBody = await request.text();
        return HttpResponse.json({ file: fileNode({ status: "ready", size: 5 }) });
      }),
    );
    const { bridge: s3, store, onUploaded } = bridge();
    const data = bytes(5, "a.JPG", "IMAGE/JPEG");
    await s3.prepare({ data, name: "a.JPG", parentId: "f1" });
    expect(store.list("u1")).toEqual([]); // nothing to resume in one PUT
    expect(await s3.signPart(data, "up1", 1)).toEqual({ method: "PUT", url: "https://s3/whole" });
    await s3.complete(data, "up1", [{ PartNumber: 1, ETag: '"x"' }]);
    expect(completeBody).toBe(""); // the server completes one part with what S3 holds
    expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ id: "up1", status: "ready" }));
  });

  it("completes a multipart upload with every ETag in order, then forgets it", async () => {
    let completeBody: unknown = null;
    server.use(
      http.post(`${BASE}/uploads`, () =>
        HttpResponse.json({ upload_id: "up1", file: fileNode(), part_size: 8 * MIB, part_count: 3 }, { status: 201 }),
      ),
      http.post(`${BASE}/uploads/up1/complete`, async ({ request }) => {
        completeBody = await request.json();
        return HttpResponse.json({ file: fileNode({ status: "ready" }) });
      }),
    );
    const { bridge: s3, store, onUploaded } = bridge();
    const data = bytes(20 * MIB);
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
    const node = await s3.complete(data, "up1", [
      { PartNumber: 2, ETag: '"b"' },
      { PartNumber: 1, ETag: '"a"' },
      { PartNumber: 3, ETag: '"c"' },
    ]);
    expect(completeBody).toEqual({
      parts: [
        { part_number: 1, etag: '"a"' },
        { part_number: 2, etag: '"b"' },
        { part_number: 3, etag: '"c"' },
      ],
    });
    expect(node.status).toBe("ready");
    expect(onUploaded).toHaveBeenCalledTimes(1);
    expect(store.list("u1")).toEqual([]);
  });

  it("lists the parts S3 holds when Uppy resumes after a pause", async () => {
    server.use(
      http.get(`${BASE}/uploads/up1/parts`, () =>
        HttpResponse.json({
          parts: [{ part_number: 1, etag: '"a"', size: 8 * MIB }],
          part_size: 8 * MIB,
          part_count: 3,
        }),
      ),
    );
    const { bridge: s3 } = bridge();
    expect(await s3.listParts(bytes(1), "up1")).toEqual([{ PartNumber: 1, ETag: '"a"', Size: 8 * MIB }]);
  });

  it("resumes an upload a reload interrupted: no new upload, the held parts listed once", async () => {
    const store = memoryStore();
    const data = bytes(20 * MIB);
    store.save({
      upload_id: "up1",
      user_id: "u1",
      parent_id: "f1",
      name: "film.mov",
      size: data.size,
      last_modified: data.lastModified,
      part_count: 3,
    });
    let listed = 0;
    server.use(
      http.post(`${BASE}/uploads`, () => HttpResponse.json({}, { status: 500 })),
      http.get(`${BASE}/uploads/up1/parts`, () => {
        listed++;
        return HttpResponse.json({
          parts: [
            { part_number: 1, etag: '"a"', size: 8 * MIB },
            { part_number: 3, etag: '"c"', size: 4 * MIB },
          ],
          part_size: 8 * MIB,
          part_count: 3,
        });
      }),
    );
    const { bridge: s3 } = bridge(store);
    expect(await s3.prepare({ data, name: "film.mov", parentId: "f1" })).toEqual({ resumed: "up1" });
    expect(s3.chunkSize(data)).toBe(8 * MIB);
    expect(await s3.listParts(data, "up1")).toEqual([
      { PartNumber: 1, ETag: '"a"', Size: 8 * MIB },
      { PartNumber: 3, ETag: '"c"', Size: 4 * MIB },
    ]);
    expect(listed).toBe(1);
    await s3.listParts(data, "up1"); // a later pause and resume asks S3 again
    expect(listed).toBe(2);
  });

  it("starts again when the interrupted upload is gone (completed, aborted, expired)", async () => {
    const store = memoryStore();
    const data = bytes(20 * MIB);
    store.save({
      upload_id: "old",
      user_id: "u1",
      parent_id: "f1",
      name: "film.mov",
      size: data.size,
      last_modified: data.lastModified,
      part_count: 3,
    });
    server.use(
      http.get(`${BASE}/uploads/old/parts`, () =>
        HttpResponse.json({ error: { code: "not_found", message: "No such upload." } }, { status: 404 }),
      ),
      http.post(`${BASE}/uploads`, () =>
        HttpResponse.json(
          { upload_id: "new", file: fileNode({ id: "new" }), part_size: 8 * MIB, part_count: 3 },
          { status: 201 },
        ),
      ),
    );
    const { bridge: s3 } = bridge(store);
    expect(await s3.prepare({ data, name: "film.mov", parentId: "f1" })).toEqual({ resumed: null });
    expect(s3.create(data).uploadId).toBe("new");
    expect(store.list("u1").map((each) => each.upload_id)).toEqual(["new"]);
  });

  it("reports a refused start on that file, and a retry asks again", async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/uploads`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({ error: { code: "quota_exceeded", message: "Not enough space." } }, { status: 413 })
          : HttpResponse.json(
              { upload_id: "up1", file: fileNode(), part_size: 8 * MIB, part_count: 3 },
              { status: 201 },
            );
      }),
    );
    const { bridge: s3 } = bridge();
    const data = bytes(20 * MIB);
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
    expect(() => s3.create(data)).toThrow(expect.objectContaining({ code: "quota_exceeded" }));
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
    expect(s3.create(data).uploadId).toBe("up1");
  });

  it("aborts once however many paths ask, and shrugs at an upload already gone", async () => {
    let deletes = 0;
    server.use(
      http.post(`${BASE}/uploads`, () =>
        HttpResponse.json({ upload_id: "up1", file: fileNode(), part_size: 8 * MIB, part_count: 3 }, { status: 201 }),
      ),
      http.delete(`${BASE}/uploads/up1`, () => {
        deletes++;
        return HttpResponse.json({ error: { code: "not_found", message: "No such upload." } }, { status: 404 });
      }),
    );
    const { bridge: s3, store } = bridge();
    const data = bytes(20 * MIB);
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
    await Promise.all([s3.abort(data, "up1"), s3.abort(null, "up1")]);
    expect(deletes).toBe(1);
    expect(store.list("u1")).toEqual([]);
    expect(s3.uploadIdOf(data)).toBeNull();
  });

  it("keeps uploads resumable when sending stops because the person signed out", async () => {
    let deletes = 0;
    server.use(
      http.post(`${BASE}/uploads`, () =>
        HttpResponse.json({ upload_id: "up1", file: fileNode(), part_size: 8 * MIB, part_count: 3 }, { status: 201 }),
      ),
      http.delete(`${BASE}/uploads/up1`, () => {
        deletes++;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { bridge: s3, store } = bridge();
    const data = bytes(20 * MIB);
    await s3.prepare({ data, name: "film.mov", parentId: "f1" });
    s3.stop();
    await s3.abort(data, "up1");
    expect(deletes).toBe(0);
    expect(store.find("u1", "f1", data)?.upload_id).toBe("up1");
  });
});
