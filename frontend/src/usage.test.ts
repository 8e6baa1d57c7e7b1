import { describe, expect, it } from "vitest";
import { percentLabel, usageSlices } from "./usage";

describe("usageSlices", () => {
  const empty = { count: 0, bytes: 0 };
  const byType = {
    image: { count: 3, bytes: 300 },
    video: empty,
    audio: empty,
    document: { count: 1, bytes: 100 },
    archive: { count: 1, bytes: 600 },
    other: empty,
  };

  it("gives the kinds that hold something, biggest first, each arc after the last", () => {
    expect(usageSlices({ by_type: byType })).toEqual([
      { type: "archive", bytes: 600, count: 1, percent: 60, offset: 0 },
      { type: "image", bytes: 300, count: 3, percent: 30, offset: 60 },
      { type: "document", bytes: 100, count: 1, percent: 10, offset: 90 },
    ]);
  });

  it("is empty for an empty drive", () => {
    expect(usageSlices({ by_type: { ...byType, image: empty, document: empty, archive: empty } })).toEqual([]);
  });

  it.each([
    [0, "0"],
    [0.4, "< 1"],
    [33.3, "33"],
    [100, "100"],
  ])("percentLabel(%d)", (percent, label) => {
    expect(percentLabel(percent)).toBe(label);
  });
});
