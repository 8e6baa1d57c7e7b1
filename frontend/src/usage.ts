// The storage chart's numbers without the DOM: each kind of file's share of what is used, in
// a fixed order, and the arcs of a ring drawn on a circle whose circumference is 100.
import { USAGE_TYPES, type UsageStats, type UsageType } from "./api";

export interface Slice {
  type: UsageType;
  bytes: number;
  count: number;
  /** Percent of the bytes used, 0–100. */
  percent: number;
  /** Where the arc starts along the ring, in percent. */
  offset: number;
}

/** The kinds that hold something, biggest first, with where each one's arc starts. */
export function usageSlices(stats: Pick<UsageStats, "by_type">): Slice[] {
  const total = USAGE_TYPES.reduce((sum, type) => sum + stats.by_type[type].bytes, 0);
  if (total <= 0) return [];
  let offset = 0;
  return USAGE_TYPES.map((type) => ({ type, ...stats.by_type[type] }))
    .filter((each) => each.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .map((each) => {
      const percent = (each.bytes / total) * 100;
      const slice = { type: each.type, bytes: each.bytes, count: each.count, percent, offset };
      offset += percent;
      return slice;
    });
}

/** A percentage people read: "< 1" for a sliver, whole numbers otherwise. */
export function percentLabel(percent: number): string {
  if (percent > 0 && percent < 1) return "< 1";
  return String(Math.round(percent));
}

/** How full an account is, 0–100, for its bar. */
export function usedPercent(used: number, quota: number): number {
  if (quota <= 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.round((used / quota) * 100));
}
