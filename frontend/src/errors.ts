// Turns what went wrong into a sentence for people: known API codes get a translated
// message, anything else the server's own message. Raw JSON never reaches the screen.
import { ApiError } from "./api";
import { catalogs, formatWait, type Lang, type MessageKey, type Translate } from "./i18n";
import type { Problem } from "./validation";

const SIMPLE: Partial<Record<string, MessageKey>> = {
  invalid_credentials: "error.invalid_credentials",
  wrong_password: "error.wrong_password",
  phone_taken: "error.phone_taken",
  account_disabled: "error.account_disabled",
  invalid_code: "error.invalid_code",
  unavailable: "error.unavailable",
  username_taken: "error.username_taken",
  email_taken: "error.email_taken",
  csrf_failed: "error.csrf_failed",
  google_email_unverified: "error.google_email_unverified",
  google_account_unverified_link: "error.google_account_unverified_link",
  unauthenticated: "error.unauthenticated",
  internal: "error.internal",
  network: "error.network",
  name_taken: "error.name_taken",
  invalid_move: "error.invalid_move",
  quota_exceeded: "error.quota_exceeded",
  not_found: "error.not_found",
  forbidden: "error.forbidden",
  conflict: "error.conflict",
  size_mismatch: "error.size_mismatch",
  upload_failed: "error.upload_failed",
  gone: "error.gone",
  self_lockout: "error.self_lockout",
};

export function describeError(error: unknown, t: Translate, lang: Lang): string {
  if (!(error instanceof ApiError)) return t("error.unexpected");
  const simple = SIMPLE[error.code];
  if (simple) return t(simple);
  switch (error.code) {
    case "email_not_verified": {
      const email = error.details.email;
      return typeof email === "string" && email !== ""
        ? t("error.email_not_verified_to", { email })
        : t("error.email_not_verified");
    }
    case "rate_limited":
      return error.retryAfter === null
        ? t("error.rate_limited")
        : t("error.rate_limited_wait", { when: formatWait(lang, error.retryAfter) });
    case "invalid_request":
      return Object.keys(error.fields).length > 0 ? t("error.invalid_fields") : error.message || t("error.invalid_request");
    default:
      if (error.status >= 500) return t("error.internal");
      return error.message || t("error.unexpected");
  }
}

/** A field reason from `details.fields`: ours when we know the word, else the server's text. */
export function describeFieldReason(reason: string, t: Translate): string {
  const key = `reason.${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

export function describeProblem(problem: Problem, t: Translate): string {
  return t(`problem.${problem}`);
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogs.en, key);
}
