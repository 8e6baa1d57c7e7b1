// The API client against MSW at the wire: cookies and the CSRF header, the refresh-and-retry
// rule, and how every kind of failure becomes an ApiError.
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, loadSiteConfig, parseRetryAfter, queryString, readCookie } from "./api";
import { makeUser } from "./test/factories";
import { BASE, ORIGIN, wireServer } from "./test/wire";

const server = wireServer();

beforeEach(() => {
  vi.stubGlobal("document", { cookie: "theme=light; td_csrf=csrf%2Btoken%3D; xtd_csrf=wrong" });
});

function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, details } };
}

function client(onSessionExpired = vi.fn()): ApiClient {
  return new ApiClient({ baseUrl: BASE, onSessionExpired });
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("requests", () => {
  it("sends the td_csrf cookie's value as X-CSRF-Token on unsafe methods", async () => {
    const seen: Record<string, string | null> = {};
    server.use(
      http.post(`${BASE}/auth/logout`, ({ request }) => {
        seen.POST = request.headers.get("X-CSRF-Token");
        return new HttpResponse(null, { status: 204 });
      }),
      http.patch(`${BASE}/users/me`, ({ request }) => {
        seen.PATCH = request.headers.get("X-CSRF-Token");
        return HttpResponse.json({ user: makeUser() });
      }),
      http.delete(`${BASE}/users/me`, ({ request }) => {
        seen.DELETE = request.headers.get("X-CSRF-Token");
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const api = client();
    await api.logout();
    await api.updateMe({ nickname: "Mina" });
    await api.deleteMe("pw");
    expect(seen).toEqual({ POST: "csrf+token=", PATCH: "csrf+token=", DELETE: "csrf+token=" });
  });

  it("sends no CSRF header on GET", async () => {
    let header: string | null = "unset";
    server.use(
      http.get(`${BASE}/users/me`, ({ request }) => {
        header = request.headers.get("X-CSRF-Token");
        return HttpResponse.json({ user: makeUser() });
      }),
    );
    await client().me();
    expect(header).toBeNull();
  });

  it("omits the CSRF header when there is no td_csrf cookie", async () => {
    vi.stubGlobal("document", { cookie: "other=1" });
    let present = true;
    server.use(
      http.post(`${BASE}/auth/forgot-username`, ({ request }) => {
        present = request.headers.has("X-CSRF-Token");
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await client().forgotUsername("a@example.com");
    expect(present).toBe(false);
  });

  it("posts JSON with same-origin credentials and answers the user", async () => {
    let received: unknown = null;
    let contentType: string | null = null;
    let credentials = "";
    server.use(
      http.post(`${BASE}/auth/login`, async ({ request }) => {
        received = await request.json();
        contentType = request.headers.get("Content-Type");
        credentials = request.credentials;
        return HttpResponse.json({ user: makeUser() });
      }),
    );
    const user = await client().login("mina", "correct horse");
    expect(user.username).toBe("mina");
    expect(received).toEqual({ login: "mina", password: "correct horse" });
    expect(contentType).toBe("application/json");
    expect(credentials).toBe("same-origin");
  });

  it("answers undefined for 202 and 204 without a body", async () => {
    server.use(
      http.post(`${BASE}/auth/resend-verification`, () => new HttpResponse(null, { status: 202 })),
      http.post(`${BASE}/auth/reset-password`, () => new HttpResponse(null, { status: 204 })),
    );
    await expect(client().resendVerification("a@example.com")).resolves.toBeUndefined();
    await expect(client().resetPassword("tok", "new password")).resolves.toBeUndefined();
  });

  it("sends an empty object when deleting an account that has no password", async () => {
    let received: unknown = null;
    server.use(
      http.delete(`${BASE}/users/me`, async ({ request }) => {
        received = await request.json();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await client().deleteMe();
    expect(received).toEqual({});
  });
});

describe("refresh after 401", () => {
  it("refreshes once with the CSRF header and retries the request", async () => {
    const calls: string[] = [];
    let refreshHeader: string | null = null;
    let meCalls = 0;
    server.use(
      http.get(`${BASE}/users/me`, () => {
        calls.push("me");
        meCalls++;
        return meCalls === 1
          ? HttpResponse.json(errorBody("unauthenticated", "Sign in"), { status: 401 })
          : HttpResponse.json({ user: makeUser({ username: "fresh" }) });
      }),
      http.post(`${BASE}/auth/refresh`, ({ request }) => {
        calls.push("refresh");
        refreshHeader = request.headers.get("X-CSRF-Token");
        return HttpResponse.json({ user: makeUser(), expires_in: 900 });
      }),
    );
    const expired = vi.fn();
    const user = await client(expired).me();
    expect(user.username).toBe("fresh");
    expect(calls).toEqual(["me", "refresh", "me"]);
    expect(refreshHeader).toBe("csrf+token=");
    expect(expired).not.toHaveBeenCalled();
  });

  it("retries an unsafe request with its body", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.patch(`${BASE}/users/me`, async ({ request }) => {
        bodies.push(await request.json());
        return bodies.length === 1
          ? HttpResponse.json(errorBody("unauthenticated", "Sign in"), { status: 401 })
          : HttpResponse.json({ user: makeUser({ nickname: "Mina" }) });
      }),
      http.post(`${BASE}/auth/refresh`, () => HttpResponse.json({ user: makeUser(), expires_in: 900 })),
    );
    const user = await client().updateMe({ nickname: "Mina" });
    expect(user.nickname).toBe("Mina");
    expect(bodies).toEqual([{ nickname: "Mina" }, { nickname: "Mina" }]);
  });

  it("shares one refresh between requests that fail together", async () => {
    let refreshes = 0;
    let refreshed = false;
    server.use(
      http.get(`${BASE}/users/me`, () =>
        refreshed
          ? HttpResponse.json({ user: makeUser() })
          : HttpResponse.json(errorBody("unauthenticated", "Sign in"), { status: 401 }),
      ),
      http.post(`${BASE}/auth/refresh`, async () => {
        refreshes++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        refreshed = true;
        return HttpResponse.json({ user: makeUser(), expires_in: 900 });
      }),
    );
    const api = client();
    const users = await Promise.all([api.me(), api.me(), api.me()]);
    expect(users).toHaveLength(3);
    expect(refreshes).toBe(1);
  });

  it("reports an expired session and does not retry when the refresh fails", async () => {
    let meCalls = 0;
    server.use(
      http.get(`${BASE}/users/me`, () => {
        meCalls++;
        return HttpResponse.json(errorBody("unauthenticated", "Sign in"), { status: 401 });
      }),
      http.post(`${BASE}/auth/refresh`, () =>
        HttpResponse.json(errorBody("unauthenticated", "Refresh token reused"), { status: 401 }),
      ),
    );
    const expired = vi.fn();
    const error = await caught(client(expired).me());
    expect(error.status).toBe(401);
    expect(error.code).toBe("unauthenticated");
    expect(meCalls).toBe(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it("treats a refresh that cannot reach the server as failed", async () => {
    server.use(
      http.get(`${BASE}/users/me`, () => HttpResponse.json(errorBody("unauthenticated", "x"), { status: 401 })),
      http.post(`${BASE}/auth/refresh`, () => HttpResponse.error()),
    );
    const expired = vi.fn();
    const error = await caught(client(expired).me());
    expect(error.code).toBe("unauthenticated");
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it("retries only once: a second 401 is thrown", async () => {
    let refreshes = 0;
    let meCalls = 0;
    server.use(
      http.get(`${BASE}/users/me`, () => {
        meCalls++;
        return HttpResponse.json(errorBody("unauthenticated", "Still no"), { status: 401 });
      }),
      http.post(`${BASE}/auth/refresh`, () => {
        refreshes++;
        return HttpResponse.json({ user: makeUser(), expires_in: 900 });
      }),
    );
    const error = await caught(client().me());
    expect(error.message).toBe("Still no");
    expect(meCalls).toBe(2);
    expect(refreshes).toBe(1);
  });

  it("never refreshes for /auth/* routes", async () => {
    const refresh = vi.fn(() => HttpResponse.json({}));
    server.use(
      http.post(`${BASE}/auth/login`, () =>
        HttpResponse.json(errorBody("invalid_credentials", "Wrong login or password"), { status: 401 }),
      ),
      http.post(`${BASE}/auth/refresh`, refresh),
    );
    const expired = vi.fn();
    const error = await caught(client(expired).login("mina", "nope"));
    expect(error.code).toBe("invalid_credentials");
    expect(refresh).not.toHaveBeenCalled();
    expect(expired).not.toHaveBeenCalled();
  });

  it("does not take a wrong current password for a lost session", async () => {
    const refresh = vi.fn(() => HttpResponse.json({}));
    server.use(
      http.post(`${BASE}/users/me/password`, () =>
        HttpResponse.json(errorBody("invalid_credentials", "Wrong password"), { status: 401 }),
      ),
      http.post(`${BASE}/auth/refresh`, refresh),
    );
    const error = await caught(client().changePassword("wrong", "new password 1"));
    expect(error.code).toBe("invalid_credentials");
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe("errors", () => {
  it("parses code, message, details and per-field reasons", async () => {
    server.use(
      http.post(`${BASE}/auth/register`, () =>
        HttpResponse.json(
          errorBody("invalid_request", "Invalid fields", { fields: { username: "too_short", phone: "invalid" } }),
          { status: 400 },
        ),
      ),
    );
    const error = await caught(client().register({ username: "ab", email: "a@example.com", password: "pw" }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(error.message).toBe("Invalid fields");
    expect(error.fields).toEqual({ username: "too_short", phone: "invalid" });
    expect(error.details.fields).toEqual(error.fields);
    expect(error.retryAfter).toBeNull();
  });

  it("keeps other details, such as the masked address of an unverified account", async () => {
    server.use(
      http.post(`${BASE}/auth/login`, () =>
        HttpResponse.json(errorBody("email_not_verified", "Verify first", { email: "m***@example.com" }), {
          status: 403,
        }),
      ),
    );
    const error = await caught(client().login("mina", "pw"));
    expect(error.code).toBe("email_not_verified");
    expect(error.details.email).toBe("m***@example.com");
    expect(error.fields).toEqual({});
  });

  it("reads Retry-After in seconds from a 429", async () => {
    server.use(
      http.post(`${BASE}/auth/login`, () =>
        HttpResponse.json(errorBody("rate_limited", "Slow down"), { status: 429, headers: { "Retry-After": "120" } }),
      ),
    );
    const error = await caught(client().login("mina", "pw"));
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfter).toBe(120);
  });

  it("gives a body that is not the contract's shape a code from its status", async () => {
    server.use(
      http.get(`${BASE}/users/me`, () => new HttpResponse("<html>Bad gateway</html>", { status: 502 })),
      http.get(`${BASE}/health`, () => HttpResponse.json({ detail: "nope" }, { status: 418 })),
    );
    const api = client();
    const gateway = await caught(api.me());
    expect(gateway.status).toBe(502);
    expect(gateway.code).toBe("internal");
    const teapot = await caught(api.request("GET", "/health"));
    expect(teapot.code).toBe("http_418");
  });

  it("turns a failure to connect into code network", async () => {
    server.use(http.get(`${BASE}/users/me`, () => HttpResponse.error()));
    const error = await caught(client().me());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.code).toBe("network");
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["seconds", "30", 30],
    ["zero", "0", 0],
    ["padded", " 5 ", 5],
    ["missing", null, null],
    ["empty", "", null],
    ["garbage", "soon", null],
    ["negative", "-5", null],
  ])("%s", (_label, value, expected) => {
    expect(parseRetryAfter(value)).toBe(expected);
  });

  it("reads an HTTP date as seconds from now", () => {
    const now = Date.parse("2026-11-23T12:00:00Z");
    expect(parseRetryAfter("Mon, 23 Nov 2026 12:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Mon, 23 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
});

describe("readCookie", () => {
  it("finds the named cookie only, decoded", () => {
    expect(readCookie("td_csrf", "xtd_csrf=no; td_csrf=a%20b; td_csrfx=no")).toBe("a b");
  });

  it("keeps a value that is not valid percent-encoding", () => {
    expect(readCookie("td_csrf", "td_csrf=100%")).toBe("100%");
  });

  it("answers null when absent", () => {
    expect(readCookie("td_csrf", "")).toBeNull();
    expect(readCookie("td_csrf", "a=1; b")).toBeNull();
  });
});

describe("loadSiteConfig", () => {
  it("reads the Google client id", async () => {
    server.use(http.get(`${ORIGIN}/config.json`, () => HttpResponse.json({ google_client_id: "abc.apps" })));
    await expect(loadSiteConfig(`${ORIGIN}/config.json`)).resolves.toEqual({ google_client_id: "abc.apps", dev_idp: [] });
  });

  it("reads the providers the development identity provider plays, keeping only names", async () => {
    server.use(
      http.get(`${ORIGIN}/config.json`, () =>
        HttpResponse.json({ google_client_id: null, dev_idp: ["google", "", 3, null, "facebook"] }),
      ),
    );
    await expect(loadSiteConfig(`${ORIGIN}/config.json`)).resolves.toEqual({
      google_client_id: null,
      dev_idp: ["google", "facebook"],
    });
  });

  it.each([
    ["null id", () => HttpResponse.json({ google_client_id: null })],
    ["dev_idp not a list", () => HttpResponse.json({ google_client_id: null, dev_idp: "google" })],
    ["empty id", () => HttpResponse.json({ google_client_id: "" })],
    ["missing file", () => new HttpResponse(null, { status: 404 })],
    ["not JSON", () => new HttpResponse("<html>", { status: 200 })],
    ["unreachable", () => HttpResponse.error()],
  ])("turns off Google for %s", async (_label, resolver) => {
    server.use(http.get(`${ORIGIN}/config.json`, resolver));
    await expect(loadSiteConfig(`${ORIGIN}/config.json`)).resolves.toEqual({ google_client_id: null, dev_idp: [] });
  });
});

describe("drive routes", () => {
  it.each([
    [{}, ""],
    [{ sort: "-size" }, "?sort=-size"],
    [{ q: "a b&c", cursor: null, limit: undefined }, "?q=a+b%26c"],
    [{ cursor: "", limit: 20 }, "?limit=20"],
  ])("builds the query of %o", (params, expected) => {
    expect(queryString(params)).toBe(expected);
  });

  it("escapes ids in paths and passes the sort and cursor", async () => {
    let url = "";
    server.use(
      http.get(`${BASE}/folders/:id`, ({ request }) => {
        url = request.url;
        return HttpResponse.json({ folder: {}, path: [], items: [], next_cursor: null });
      }),
    );
    await client().folder("a/b?", { sort: "-created", cursor: "c1" });
    expect(url).toBe(`${BASE}/folders/a%2Fb%3F?sort=-created&cursor=c1`);
  });

  it("asks for a download link instead of following the redirect", async () => {
    server.use(
      http.get(`${BASE}/files/f1/download`, ({ request }) => {
        const redirect = new URL(request.url).searchParams.get("redirect");
        return HttpResponse.json({
          url: `https://s3/f1?redirect=${String(redirect)}`,
          expires_at: "2026-11-23T12:05:00Z",
        });
      }),
    );
    expect((await client().downloadLink("f1")).url).toBe("https://s3/f1?redirect=0");
  });

  it("completes a single PUT without a body and a multipart upload with its parts", async () => {
    const bodies: string[] = [];
    server.use(
      http.post(`${BASE}/uploads/:id/complete`, async ({ request }) => {
        bodies.push(await request.text());
        return HttpResponse.json({ file: { id: "f" } });
      }),
    );
    await client().completeUpload("u1");
    await client().completeUpload("u2", [{ part_number: 1, etag: '"e"' }]);
    expect(bodies).toEqual(["", JSON.stringify({ parts: [{ part_number: 1, etag: '"e"' }] })]);
  });
});
