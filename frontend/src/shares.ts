// Share links without the DOM: how long a link lives (the presets and a custom span within
// the API's 60 s … 30 days), the optional download limit and password, and what the owner's
// list says about each link.
import type { Share } from "./api";
import { codePoints, type Problem } from "./validation";

export const MIN_EXPIRY_S = 60;
export const MAX_EXPIRY_S = 30 * 86_400;
export const MAX_DOWNLOADS = 10_000;

export const EXPIRY_PRESETS = { "1h": 3_600, "1d": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400 } as const;
export type ExpiryPreset = keyof typeof EXPIRY_PRESETS;
export type ExpiryChoice = ExpiryPreset | "custom";
export const DEFAULT_EXPIRY: ExpiryChoice = "7d";

export const CUSTOM_UNITS = { minutes: 60, hours: 3_600, days: 86_400 } as const;
export type CustomUnit = keyof typeof CUSTOM_UNITS;

export type ShareProblem = Extract<Problem, "expiry_range" | "limit_range" | "share_password_length">;

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

/** Seconds the link lives, or the problem with a custom span. */
export function expirySeconds(
  choice: ExpiryChoice,
  amount: string,
  unit: CustomUnit,
): { seconds: number } | { problem: ShareProblem } {
  if (choice !== "custom") return { seconds: EXPIRY_PRESETS[choice] };
  const count = wholeNumber(amount);
  const seconds = count === null ? NaN : count * CUSTOM_UNITS[unit];
  if (!(seconds >= MIN_EXPIRY_S && seconds <= MAX_EXPIRY_S)) return { problem: "expiry_range" };
  return { seconds };
}

/** The download limit: empty is none; otherwise a whole number 1 … 10,000. */
export function downloadLimit(text: string): { limit: number | null } | { problem: ShareProblem } {
  if (text.trim() === "") return { limit: null };
  const count = wholeNumber(text);
  if (count === null || count < 1 || count > MAX_DOWNLOADS) return { problem: "limit_range" };
  return { limit: count };
}

/** A link's password: empty is none; otherwise 4–128 characters (code points). */
export function sharePasswordProblem(password: string): ShareProblem | null {
  if (password === "") return null;
  const length = codePoints(password);
  return length >= 4 && length <= 128 ? null : "share_password_length";
}

/**
 * A link's state as the owner should read it now: the server marks expired links only every
 * few minutes, so a link past its time reads expired at once here.
 */
export function shareState(share: Share, now: number = Date.now()): Share["status"] {
  if (share.status !== "active") return share.status;
  if (Date.parse(share.expires_at) <= now) return "expired";
  if (share.max_downloads !== null && share.downloads >= share.max_downloads) return "used_up";
  return "active";
}

/** The owner's list after making `made`: the new link first, once (the index may lag). */
export function withNewShare(list: readonly Share[], made: Share): Share[] {
  return [made, ...list.filter((share) => share.id !== made.id)];
}
