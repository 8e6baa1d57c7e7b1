// Which sign-in buttons the sign-in and sign-up pages show: GET /auth/providers (over MSW, at
// the wire) decided by the site's config: the local development provider's page, Google
// Identity Services deployed, nothing for a provider this app cannot run or a failed load.
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient, type SiteConfig } from "./api";
import { loadProviderButtons, providerButtons } from "./providers";
import { BASE, wireServer } from "./test/wire";

const server = wireServer();

beforeEach(() => {
  vi.stubGlobal("document", { cookie: "" });
});

const client = new ApiClient({ baseUrl: BASE, onSessionExpired: vi.fn() });
const LOCAL: SiteConfig = { google_client_id: null, dev_idp: ["google", "facebook"] };
const DEPLOYED: SiteConfig = { google_client_id: "abc.apps.googleusercontent.com", dev_idp: [] };
const NOTHING: SiteConfig = { google_client_id: null, dev_idp: [] };

function serve(items: unknown) {
  server.use(http.get(`${BASE}/auth/providers`, () => HttpResponse.json({ items })));
}

describe("providerButtons", () => {
  const google = { id: "google", name: "Google", kind: "oidc" };
  const facebook = { id: "facebook", name: "Facebook", kind: "facebook" };
  const kakao = { id: "kakao", name: "Kakao", kind: "oidc" };

  it("links every provider the development provider plays to its page, in the server's order", () => {
    expect(providerButtons([google, facebook], LOCAL)).toEqual([
      { id: "google", name: "Google", how: "dev", href: "/api/dev/idp/google" },
      { id: "facebook", name: "Facebook", how: "dev", href: "/api/dev/idp/facebook" },
    ]);
  });

  it("runs Google deployed through Google Identity Services with the client id", () => {
    expect(providerButtons([google], DEPLOYED)).toEqual([
      { id: "google", name: "Google", how: "google", clientId: "abc.apps.googleusercontent.com" },
    ]);
  });

  it("prefers the development provider when it plays Google even beside a client id", () => {
    expect(providerButtons([google], { google_client_id: "abc", dev_idp: ["google"] })).toEqual([
      { id: "google", name: "Google", how: "dev", href: "/api/dev/idp/google" },
    ]);
  });

  it("shows no button it cannot run: Google without a client id, providers not played locally", () => {
    expect(providerButtons([google, facebook, kakao], NOTHING)).toEqual([]);
    expect(providerButtons([facebook, kakao], DEPLOYED)).toEqual([]);
  });

  it("shows nothing for no providers", () => {
    expect(providerButtons([], LOCAL)).toEqual([]);
  });
});

describe("loadProviderButtons over GET /auth/providers", () => {
  it("turns the listed providers into buttons", async () => {
    serve([{ id: "google", name: "Google", kind: "oidc" }]);
    await expect(loadProviderButtons(() => client.providers(), LOCAL)).resolves.toEqual([
      { id: "google", name: "Google", how: "dev", href: "/api/dev/idp/google" },
    ]);
  });

  it("shows nothing for an empty list", async () => {
    serve([]);
    await expect(loadProviderButtons(() => client.providers(), LOCAL)).resolves.toEqual([]);
  });

  it.each([
    ["a server error", () => HttpResponse.json({ error: { code: "internal", message: "x", details: {} } }, { status: 500 })],
    ["a network failure", () => HttpResponse.error()],
    ["a body that is not the list", () => HttpResponse.json({ nope: true })],
  ])("shows nothing, and does not throw, on %s", async (_label, resolver) => {
    server.use(http.get(`${BASE}/auth/providers`, resolver));
    await expect(loadProviderButtons(() => client.providers(), LOCAL)).resolves.toEqual([]);
  });
});
