// The operators' page without the DOM: storage quotas typed in GB (or MB), and a user list
// that takes the fresh row each change answers.
import type { AdminUser } from "./api";

export const QUOTA_UNITS = { MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 } as const;
export type QuotaUnit = keyof typeof QUOTA_UNITS;

/** The largest quota the page offers to set: 1 PB. */
const MAX_QUOTA = 1024 ** 5;

/** Bytes from "10" or "2.5" of a unit; null for anything that is not a sensible size. */
export function parseQuota(text: string, unit: QuotaUnit): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  const bytes = Math.round(Number(trimmed) * QUOTA_UNITS[unit]);
  return bytes <= MAX_QUOTA ? bytes : null;
}

/** A quota as the form shows it: whole terabytes in TB, else GB from 1 GB up, else MB. */
export function quotaInput(bytes: number): { amount: string; unit: QuotaUnit } {
  const round = (value: number): string => String(Math.round(value * 100) / 100);
  if (bytes >= QUOTA_UNITS.TB && bytes % QUOTA_UNITS.TB === 0) return { amount: round(bytes / QUOTA_UNITS.TB), unit: "TB" };
  if (bytes >= QUOTA_UNITS.GB) return { amount: round(bytes / QUOTA_UNITS.GB), unit: "GB" };
  return { amount: round(bytes / QUOTA_UNITS.MB), unit: "MB" };
}

/** The list with `user`'s row replaced by the server's fresh copy. */
export function replaceUser(list: readonly AdminUser[], user: AdminUser): AdminUser[] {
  return list.map((each) => (each.id === user.id ? user : each));
}

/** Pages appended without repeating a row (a user may move between pages meanwhile). */
export function appendUsers(list: readonly AdminUser[], more: readonly AdminUser[]): AdminUser[] {
  const known = new Set(list.map((user) => user.id));
  return [...list, ...more.filter((user) => !known.has(user.id))];
}
