// The client's routes for teams, share links and operators against MSW at the wire: what
// each sends (paths, query strings, bodies, the share password header) and what it answers.
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, type AdminUser } from "./api";
import { makeAdminUser } from "./test/factories";
import { BASE, wireServer } from "./test/wire";

const server = wireServer();

beforeEach(() => {
  vi.stubGlobal("document", { cookie: "td_csrf=token" });
});

function client(): ApiClient {
  return new ApiClient({ baseUrl: BASE });
}

const team = { id: "t1", name: "Studio", leader_id: "u1", member_count: 1, created_at: "2026-11-23T12:00:00Z" };

function adminUser(overrides: Partial<AdminUser> = {}): AdminUser {
  return makeAdminUser({
    id: "u2",
    username: "bob",
    email: "bob@example.com",
    storage: { quota_bytes: 1024, used_bytes: 0, file_count: 0, root_folder_id: "r2" },
    ...overrides,
  });
}

describe("teams", () => {
  it("creates, invites by username or email, and answers the team", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${BASE}/teams`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ team }, { status: 201 });
      }),
      http.post(`${BASE}/teams/t1/invitations`, async ({ request }) => {
        bodies.push(await request.json());
        const invitation = { team_id: "t1", user: { id: "u2", username: "bob", nickname: null }, invited_at: "x" };
        return HttpResponse.json({ invitation }, { status: 201 });
      }),
    );
    const api = client();
    expect(await api.createTeam("Studio")).toEqual(team);
    expect((await api.invite("t1", { username: "bob" })).user.username).toBe("bob");
    await api.invite("t1", { email: "bob@example.com" });
    expect(bodies).toEqual([{ name: "Studio" }, { username: "bob" }, { email: "bob@example.com" }]);
  });

  it("accepts and declines invitations, leaves with `me`, and shares folders", async () => {
    const seen: string[] = [];
    server.use(
      http.post(`${BASE}/teams/:id/invitations/accept`, ({ params }) => {
        seen.push(`accept ${String(params.id)}`);
        return HttpResponse.json({ team });
      }),
      http.post(`${BASE}/teams/:id/invitations/decline`, ({ params }) => {
        seen.push(`decline ${String(params.id)}`);
        return new HttpResponse(null, { status: 204 });
      }),
      http.delete(`${BASE}/teams/:id/members/:user`, ({ params }) => {
        seen.push(`leave ${String(params.user)}`);
        return new HttpResponse(null, { status: 204 });
      }),
      http.post(`${BASE}/teams/:id/shared-folders`, async ({ request }) => {
        seen.push(`share ${JSON.stringify(await request.json())}`);
        return HttpResponse.json({ shared_folder: {} }, { status: 201 });
      }),
    );
    const api = client();
    expect(await api.acceptInvitation("t1")).toEqual(team);
    await api.declineInvitation("t2");
    await api.removeMember("t1", "me");
    await api.shareFolder("t1", "f1", "write");
    expect(seen).toEqual([
      "accept t1",
      "decline t2",
      "leave me",
      `share ${JSON.stringify({ folder_id: "f1", access: "write" })}`,
    ]);
  });

  it("searches people by an escaped prefix", async () => {
    let query: string | null = null;
    server.use(
      http.get(`${BASE}/users/search`, ({ request }) => {
        query = new URL(request.url).searchParams.get("q");
        return HttpResponse.json({ items: [{ id: "u2", username: "bob", nickname: "Bob" }] });
      }),
    );
    expect(await client().searchUsers("b&o")).toEqual([{ id: "u2", username: "bob", nickname: "Bob" }]);
    expect(query).toBe("b&o");
  });
});

describe("share links", () => {
  it("lists a node's links and makes one with its settings", async () => {
    let listed: string | null = null;
    let made: unknown = null;
    server.use(
      http.get(`${BASE}/shares`, ({ request }) => {
        listed = new URL(request.url).searchParams.get("node_id");
        return HttpResponse.json({ items: [], next_cursor: null });
      }),
      http.post(`${BASE}/shares`, async ({ request }) => {
        made = await request.json();
        return HttpResponse.json({ share: { id: "s" }, url: "http://site/s/abc" }, { status: 201 });
      }),
    );
    const api = client();
    await api.shares("n1");
    const created = await api.createShare({ node_id: "n1", expires_in: 3600, password: "open", max_downloads: 3 });
    expect(listed).toBe("n1");
    expect(made).toEqual({ node_id: "n1", expires_in: 3600, password: "open", max_downloads: 3 });
    expect(created.url).toBe("http://site/s/abc");
  });

  it("sends the password as X-Share-Password to view and in the body to download", async () => {
    const seen: { header: string | null; folder: string | null; body?: unknown }[] = [];
    server.use(
      http.get(`${BASE}/public/shares/tok`, ({ request }) => {
        const url = new URL(request.url);
        seen.push({ header: request.headers.get("X-Share-Password"), folder: url.searchParams.get("folder_id") });
        return HttpResponse.json({ name: "Album", kind: "folder", password_required: true });
      }),
      http.post(`${BASE}/public/shares/tok/download`, async ({ request }) => {
        seen.push({ header: request.headers.get("X-Share-Password"), folder: null, body: await request.json() });
        return HttpResponse.json({ url: "https://s3/x", expires_at: "x" });
      }),
    );
    const api = client();
    await api.publicShare("tok");
    await api.publicShare("tok", { folderId: "f2", password: "open sesame" });
    await api.publicDownload("tok", { fileId: "file1", password: "open sesame" });
    expect(seen).toEqual([
      { header: null, folder: null },
      { header: "open sesame", folder: "f2" },
      { header: null, folder: null, body: { file_id: "file1", password: "open sesame" } },
    ]);
  });

  it("turns 404, 410 and 429 of a link into ApiErrors with their status", async () => {
    const api = client();
    for (const [status, code] of [
      [404, "not_found"],
      [410, "gone"],
      [429, "rate_limited"],
    ] as const) {
      server.use(
        http.get(`${BASE}/public/shares/tok`, () =>
          HttpResponse.json(
            { error: { code, message: "m", details: {} } },
            { status, headers: status === 429 ? { "Retry-After": "60" } : {} },
          ),
        ),
      );
      const error = await api.publicShare("tok").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(status);
      expect((error as ApiError).code).toBe(code);
    }
  });
});

describe("operators", () => {
  it("pages users with q, limit and cursor", async () => {
    let params: Record<string, string> = {};
    server.use(
      http.get(`${BASE}/admin/users`, ({ request }) => {
        params = Object.fromEntries(new URL(request.url).searchParams);
        return HttpResponse.json({ items: [adminUser()], next_cursor: "c2" });
      }),
    );
    const page = await client().adminUsers({ q: "bo", limit: 50, cursor: "c1" });
    expect(params).toEqual({ q: "bo", limit: "50", cursor: "c1" });
    expect(page.items[0]?.disabled).toBe(false);
    expect(page.next_cursor).toBe("c2");
  });

  it("leaves an empty search out of the query", async () => {
    let search = "unset";
    server.use(
      http.get(`${BASE}/admin/users`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json({ items: [], next_cursor: null });
      }),
    );
    await client().adminUsers({ q: "", limit: 50 });
    expect(search).toBe("?limit=50");
  });

  it("changes one thing of a user with PATCH and the CSRF header, and answers the user", async () => {
    const seen: { body: unknown; csrf: string | null }[] = [];
    server.use(
      http.patch(`${BASE}/admin/users/u2`, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        seen.push({ body, csrf: request.headers.get("X-CSRF-Token") });
        return HttpResponse.json({ user: adminUser(body as Partial<AdminUser>) });
      }),
    );
    const api = client();
    expect((await api.updateAdminUser("u2", { disabled: true })).disabled).toBe(true);
    expect((await api.updateAdminUser("u2", { is_admin: true })).is_admin).toBe(true);
    await api.updateAdminUser("u2", { quota_bytes: 2048 });
    expect(seen).toEqual([
      { body: { disabled: true }, csrf: "token" },
      { body: { is_admin: true }, csrf: "token" },
      { body: { quota_bytes: 2048 }, csrf: "token" },
    ]);
  });

  it("reads the overview", async () => {
    const stats = { users: 3, files: 9, bytes: 1024, pending_uploads: 1, failed_thumbnails: 0, computed_at: "x" };
    server.use(http.get(`${BASE}/admin/stats`, () => HttpResponse.json(stats)));
    expect(await client().adminStats()).toEqual(stats);
  });

  it("a caller who is not an operator gets a 403 ApiError", async () => {
    server.use(
      http.get(`${BASE}/admin/stats`, () =>
        HttpResponse.json({ error: { code: "forbidden", message: "m", details: {} } }, { status: 403 }),
      ),
    );
    await expect(client().adminStats()).rejects.toMatchObject({ status: 403, code: "forbidden" });
  });
});
