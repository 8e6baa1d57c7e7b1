// Every language has the same messages: the same keys (checked by the compiler and again
// here at run time) and the same {placeholders} in each.
import { describe, expect, expectTypeOf, it } from "vitest";
import { en, type Messages } from "./en";
import { catalogs, detectLang, formatWait, LANGS, translate } from "./index";
import { ko } from "./ko";

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").sort();
}

describe("catalogs", () => {
  it("are typed so that a missing key is a compile error", () => {
    expectTypeOf(ko).toEqualTypeOf<Messages>();
    expectTypeOf<Omit<Messages, "common.cancel">>().not.toExtend<Messages>();
    expectTypeOf<keyof typeof en>().toEqualTypeOf<keyof Messages>();
  });

  it.each(LANGS)("%s has exactly the English keys", (lang) => {
    expect(Object.keys(catalogs[lang]).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(LANGS)("%s keeps every placeholder and leaves no message empty", (lang) => {
    const catalog = catalogs[lang];
    for (const key of Object.keys(en) as (keyof Messages)[]) {
      expect(catalog[key].trim(), key).not.toBe("");
      expect(placeholders(catalog[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("Korean is actually translated", () => {
    const same = (Object.keys(en) as (keyof Messages)[]).filter((key) => ko[key] === en[key]);
    expect(same).toEqual([]);
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "resend.sent", { email: "m@example.com" })).toContain("m@example.com");
    expect(translate("ko", "resend.sent", {})).toContain("{email}");
  });
});

describe("detectLang", () => {
  it.each([
    ["stored choice wins", "ko", ["en-US"], "ko"],
    ["stored nonsense is ignored", "fr", ["ko-KR"], "ko"],
    ["browser Korean", null, ["ko-KR", "en"], "ko"],
    ["first language we have", null, ["fr-FR", "ko", "en"], "ko"],
    ["upper-case tag", null, ["KO"], "ko"],
    ["nothing we have", null, ["fr-FR", "de"], "en"],
    ["no languages at all", null, [], "en"],
  ])("%s", (_label, stored, preferred, expected) => {
    expect(detectLang(stored, preferred)).toBe(expected);
  });
});

describe("formatWait", () => {
  it.each([
    ["en", 30, "in 30 seconds"],
    ["en", 61, "in 2 minutes"],
    ["en", 900, "in 15 minutes"],
    ["en", 7200, "in 2 hours"],
    ["ko", 300, "5분 후"],
  ] as const)("%s %d s", (lang, seconds, expected) => {
    expect(formatWait(lang, seconds)).toBe(expected);
  });
});
