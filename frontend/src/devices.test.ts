// The signed-in devices against MSW at the wire: the list (this device first), signing one
// out (and one that had ended already), the errors that keep a device listed, and its name.
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, type SignedInSession } from "./api";
import { deviceName, endSession, readSessions, withoutSession } from "./devices";
import { BASE, wireServer } from "./test/wire";

const server = wireServer();
const ID = "0123456789abcdef0123456789abcdef";

beforeEach(() => {
  vi.stubGlobal("document", { cookie: "td_csrf=token" });
});

function client(): ApiClient {
  return new ApiClient({ baseUrl: BASE });
}

function session(id: string, overrides: Partial<SignedInSession> = {}): SignedInSession {
  return {
    id,
    device: "Chrome on macOS",
    network: "203.0.113.0/24",
    created_at: "2026-12-01T10:00:00Z",
    last_used_at: "2026-12-01T11:00:00Z",
    current: false,
    ...overrides,
  };
}

function errorBody(code: string, status: number): Response {
  return HttpResponse.json({ error: { code, message: code, details: {} } }, { status });
}

describe("listing", () => {
  it("puts this device first, then the most recently used", async () => {
    server.use(
      http.get(`${BASE}/auth/sessions`, () =>
        HttpResponse.json({
          items: [
            session("old", { last_used_at: "2026-11-01T00:00:00Z" }),
            session("new", { last_used_at: "2026-12-05T00:00:00Z" }),
            session("here", { current: true, last_used_at: "2026-10-01T00:00:00Z" }),
            session("legacy", { created_at: null, last_used_at: null }),
          ],
        }),
      ),
    );
    const items = await readSessions(client());
    expect(items.map((item) => item.id)).toEqual(["here", "new", "old", "legacy"]);
  });

  it("throws the contract's error when the session has ended", async () => {
    server.use(http.get(`${BASE}/auth/sessions`, () => errorBody("unauthenticated", 401)));
    await expect(readSessions(client())).rejects.toBeInstanceOf(ApiError);
  });
});

describe("signing a device out", () => {
  it("sends DELETE with the CSRF header and answers ended", async () => {
    const seen: { method: string; path: string; csrf: string | null }[] = [];
    server.use(
      http.delete(`${BASE}/auth/sessions/:id`, ({ request }) => {
        seen.push({
          method: request.method,
          path: new URL(request.url).pathname,
          csrf: request.headers.get("x-csrf-token"),
        });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await expect(endSession(client(), ID)).resolves.toBe("ended");
    expect(seen).toEqual([{ method: "DELETE", path: `/api/auth/sessions/${ID}`, csrf: "token" }]);
  });

  it("answers gone for a session that had ended already", async () => {
    server.use(http.delete(`${BASE}/auth/sessions/:id`, () => errorBody("not_found", 404)));
    await expect(endSession(client(), ID)).resolves.toBe("gone");
  });

  it.each([
    [403, "csrf_failed"],
    [500, "internal_error"],
  ])("throws on %i so the device stays listed", async (status, code) => {
    server.use(http.delete(`${BASE}/auth/sessions/:id`, () => errorBody(code, status)));
    await expect(endSession(client(), ID)).rejects.toMatchObject({ status, code });
  });

  it("drops only that session from the list", () => {
    const items = [session("a", { current: true }), session("b"), session("c")];
    expect(withoutSession(items, "b").map((item) => item.id)).toEqual(["a", "c"]);
  });
});

describe("naming a device", () => {
  it("uses the server's name, or the unknown label when it has none", () => {
    expect(deviceName(session("a"), "Unknown device")).toBe("Chrome on macOS");
    expect(deviceName(session("b", { device: null }), "알 수 없는 기기")).toBe("알 수 없는 기기");
  });
});
