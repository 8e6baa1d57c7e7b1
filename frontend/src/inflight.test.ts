// The uploads-in-progress list against MSW at the wire: the pages it asks for, an empty drive,
// cancelling (and an upload already gone), and the errors that keep a row listed.
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, type UploadInProgress } from "./api";
import {
  cancelInflight,
  heldBytes,
  moreInflight,
  othersUploading,
  readInflight,
  senderOf,
  withoutUpload,
} from "./inflight";
import { BASE, wireServer } from "./test/wire";

const server = wireServer();

beforeEach(() => {
  vi.stubGlobal("document", { cookie: "td_csrf=token" });
});

function client(): ApiClient {
  return new ApiClient({ baseUrl: BASE });
}

function upload(id: string, overrides: Partial<UploadInProgress> = {}): UploadInProgress {
  return {
    upload_id: id,
    name: `${id}.mov`,
    parent_id: "f1",
    folder_name: "Shoot",
    size: 1000,
    uploaded_by: { id: "u2", username: "bob", nickname: "Bobby" },
    started_at: "2026-12-01T11:00:00Z",
    ...overrides,
  };
}

function errorBody(code: string, status: number): Response {
  return HttpResponse.json({ error: { code, message: code, details: {} } }, { status });
}

describe("listing", () => {
  it("reads the first page and keeps its cursor", async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/uploads`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({ items: [upload("a"), upload("b")], next_cursor: "c2" });
      }),
    );
    const list = await readInflight(client());
    expect(list.items.map((item) => item.upload_id)).toEqual(["a", "b"]);
    expect(list.cursor).toBe("c2");
    expect(queries).toEqual([""]);
  });

  it("answers an empty list when nothing is uploading", async () => {
    server.use(http.get(`${BASE}/uploads`, () => HttpResponse.json({ items: [], next_cursor: null })));
    expect(await readInflight(client())).toEqual({ items: [], cursor: null });
  });

  it("pages on with the cursor, adding each upload once, until the cursor is null", async () => {
    const cursors: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/uploads`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        cursors.push(cursor);
        if (cursor === null) return HttpResponse.json({ items: [upload("a"), upload("b")], next_cursor: "p2" });
        return HttpResponse.json({ items: [upload("b"), upload("c")], next_cursor: null });
      }),
    );
    const api = client();
    const first = await readInflight(api);
    const all = await moreInflight(api, first);
    expect(all.items.map((item) => item.upload_id)).toEqual(["a", "b", "c"]);
    expect(all.cursor).toBeNull();
    expect(await moreInflight(api, all)).toBe(all); // no request past the end
    expect(cursors).toEqual([null, "p2"]);
  });

  it("throws what the API answered when the list cannot be read", async () => {
    server.use(http.get(`${BASE}/uploads`, () => errorBody("account_disabled", 403)));
    await expect(readInflight(client())).rejects.toMatchObject({ status: 403, code: "account_disabled" });
  });
});

describe("cancelling", () => {
  it("sends DELETE /uploads/{id} with the CSRF header and answers cancelled", async () => {
    const seen: string[] = [];
    server.use(
      http.delete(`${BASE}/uploads/:id`, ({ params, request }) => {
        seen.push(`${String(params.id)} ${request.headers.get("X-CSRF-Token") ?? "-"}`);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    expect(await cancelInflight(client(), "a")).toBe("cancelled");
    expect(seen).toEqual(["a token"]);
  });

  it("answers gone when the upload completed or was cancelled meanwhile", async () => {
    server.use(http.delete(`${BASE}/uploads/:id`, () => errorBody("not_found", 404)));
    expect(await cancelInflight(client(), "a")).toBe("gone");
  });

  it.each([
    ["forbidden", 403],
    ["internal", 500],
  ])("throws a %s refusal so the row stays", async (code, status) => {
    server.use(http.delete(`${BASE}/uploads/:id`, () => errorBody(code, status)));
    const error: unknown = await cancelInflight(client(), "a").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code });
  });

  it("throws a network failure", async () => {
    server.use(http.delete(`${BASE}/uploads/:id`, () => HttpResponse.error()));
    await expect(cancelInflight(client(), "a")).rejects.toMatchObject({ status: 0, code: "network" });
  });

  it("drops the cancelled row and keeps the cursor", () => {
    const list = { items: [upload("a"), upload("b")], cursor: "p2" };
    expect(withoutUpload(list, "a")).toEqual({ items: [upload("b")], cursor: "p2" });
  });
});

describe("rows", () => {
  it("names the sender: you, their nickname, else their username, null once they left", () => {
    expect(senderOf(upload("a", { uploaded_by: { id: "u1", username: "mina", nickname: null } }), "u1")).toBe("you");
    expect(senderOf(upload("a"), "u1")).toEqual({ name: "Bobby" });
    expect(senderOf(upload("a", { uploaded_by: { id: "u2", username: "bob", nickname: null } }), "u1")).toEqual({
      name: "bob",
    });
    expect(senderOf(upload("a", { uploaded_by: { id: "u3", username: null, nickname: null } }), "u1")).toEqual({
      name: null,
    });
  });

  it("adds up the space the listed uploads hold", () => {
    expect(heldBytes([])).toBe(0);
    expect(heldBytes([upload("a", { size: 5 }), upload("b", { size: 7 })])).toBe(12);
  });

  it("sums up what others send, leaving out the person's own uploads", () => {
    const own = upload("mine", { uploaded_by: { id: "u1", username: "mina", nickname: null }, size: 3 });
    expect(othersUploading({ items: [own], cursor: null }, "u1")).toBeNull();
    const one = othersUploading({ items: [own, upload("a", { size: 5 })], cursor: null }, "u1");
    expect(one).toEqual({ count: 1, more: false, bytes: 5, only: upload("a", { size: 5 }) });
    const many = othersUploading({ items: [upload("a", { size: 5 }), upload("b", { size: 7 })], cursor: "p2" }, "u1");
    expect(many).toEqual({ count: 2, more: true, bytes: 12, only: null });
    expect(othersUploading({ items: [upload("a")], cursor: "p2" }, "u1")?.only).toBeNull();
  });
});
