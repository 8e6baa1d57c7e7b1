// Known API codes become translated sentences; anything else falls back to the server's
// message, and raw JSON never does.
import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { describeError, describeFieldReason } from "./errors";
import { translate, type MessageKey, type Params } from "./i18n";

const t = (key: MessageKey, params?: Params): string => translate("en", key, params);
const ko = (key: MessageKey, params?: Params): string => translate("ko", key, params);

function apiError(code: string, status: number, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) {
  return new ApiError({ code, status, message: `server says ${code}`, ...extra });
}

describe("describeError", () => {
  it.each([
    ["invalid_credentials", 401, "error.invalid_credentials"],
    ["username_taken", 409, "error.username_taken"],
    ["email_taken", 409, "error.email_taken"],
    ["csrf_failed", 403, "error.csrf_failed"],
    ["google_email_unverified", 403, "error.google_email_unverified"],
    ["google_account_unverified_link", 409, "error.google_account_unverified_link"],
    ["internal", 500, "error.internal"],
    ["network", 0, "error.network"],
    ["name_taken", 409, "error.name_taken"],
    ["invalid_move", 400, "error.invalid_move"],
    ["quota_exceeded", 413, "error.quota_exceeded"],
    ["not_found", 404, "error.not_found"],
    ["forbidden", 403, "error.forbidden"],
    ["size_mismatch", 400, "error.size_mismatch"],
    ["upload_failed", 0, "error.upload_failed"],
    ["gone", 410, "error.gone"],
    ["self_lockout", 409, "error.self_lockout"],
  ] as const)("translates %s", (code, status, key) => {
    expect(describeError(apiError(code, status), t, "en")).toBe(t(key));
    expect(describeError(apiError(code, status), ko, "ko")).toBe(ko(key));
  });

  it("names the masked address of an unverified account", () => {
    const error = apiError("email_not_verified", 403, { details: { email: "m***@example.com" } });
    expect(describeError(error, t, "en")).toContain("m***@example.com");
    expect(describeError(apiError("email_not_verified", 403), t, "en")).toBe(t("error.email_not_verified"));
  });

  it("says how long to wait when rate limited", () => {
    expect(describeError(apiError("rate_limited", 429, { retryAfter: 300 }), t, "en")).toBe(
      "Too many attempts. Try again in 5 minutes.",
    );
    expect(describeError(apiError("rate_limited", 429, { retryAfter: 300 }), ko, "ko")).toContain("5분 후");
    expect(describeError(apiError("rate_limited", 429), t, "en")).toBe(t("error.rate_limited"));
  });

  it("points at the fields when the server named some", () => {
    const error = apiError("invalid_request", 400, { details: { fields: { email: "invalid" } } });
    expect(describeError(error, t, "en")).toBe(t("error.invalid_fields"));
    expect(describeError(apiError("invalid_request", 400), t, "en")).toBe("server says invalid_request");
  });

  it("falls back to the server's message for codes it does not know", () => {
    expect(describeError(apiError("teapot", 418), t, "en")).toBe("server says teapot");
  });

  it("never shows a server error's own words for a 5xx", () => {
    expect(describeError(apiError("boom", 503), t, "en")).toBe(t("error.internal"));
  });

  it("has a sentence for things that are not API errors", () => {
    expect(describeError(new TypeError("x is undefined"), t, "en")).toBe(t("error.unexpected"));
  });
});

describe("describeFieldReason", () => {
  it("translates reasons it knows and shows others as sent", () => {
    expect(describeFieldReason("too_long", ko)).toBe(ko("reason.too_long"));
    expect(describeFieldReason("must be a valid E.164 number", t)).toBe("must be a valid E.164 number");
  });
});
