// The client-side rules, at their edges: lengths in code points, non-ASCII look-alikes,
// and what people actually type into phone fields.
import { describe, expect, it } from "vitest";
import {
  codePoints,
  normalizePhone,
  normalizeUsername,
  passwordStrength,
  validateCode,
  validateConfirm,
  validateEmail,
  validateNickname,
  validateNodeName,
  validatePassword,
  validatePhone,
  validateRequired,
  validateUsername,
} from "./validation";

describe("codePoints", () => {
  it.each([
    ["ascii", "abc", 3],
    ["hangul", "한국어", 3],
    ["astral emoji", "😀", 1],
    ["family emoji (joined)", "👩‍👩‍👧", 5],
    ["empty", "", 0],
  ])("%s", (_label, value, expected) => {
    expect(codePoints(value)).toBe(expected);
  });
});

describe("validateUsername", () => {
  it.each([
    ["shortest", "abc"],
    ["longest", "a".repeat(30)],
    ["all allowed characters", "a.b_c-9"],
    ["upper case is folded later", "Mina"],
    ["digits only", "123"],
  ])("accepts %s", (_label, value) => {
    expect(validateUsername(value)).toBeNull();
  });

  it.each([
    ["empty", "", "required"],
    ["too short", "ab", "username_length"],
    ["too long", "a".repeat(31), "username_length"],
    ["space", "mi na", "username_chars"],
    ["at sign", "mina@x", "username_chars"],
    ["hangul", "미나미나", "username_chars"],
    ["accented", "josé", "username_chars"],
    ["full-width letters", "ｍｉｎａ", "username_chars"],
    ["Kelvin sign that lowercases to k", "\u212Aim", "username_chars"],
    ["dotted capital I", "\u0130nes", "username_chars"],
    ["emoji", "mina😀", "username_chars"],
    ["zero-width space", "mi\u200Bna", "username_chars"],
  ])("rejects %s", (_label, value, problem) => {
    expect(validateUsername(value)).toBe(problem);
  });
});

describe("normalizeUsername", () => {
  it("lowercases ASCII letters only", () => {
    expect(normalizeUsername("MiNa.K")).toBe("mina.k");
    expect(normalizeUsername("\u212Aim")).toBe("\u212Aim");
    expect(normalizeUsername("\u0130")).toBe("\u0130");
  });
});

describe("validateEmail", () => {
  it.each([
    ["plain", "mina@example.com"],
    ["plus and dots", "mina.k+drive@mail.example.co.kr"],
    ["surrounding spaces are trimmed", "  mina@example.com "],
    ["internationalized domain", "mina@예시.한국"],
    ["unicode local part", "미나@example.com"],
  ])("accepts %s", (_label, value) => {
    expect(validateEmail(value)).toBeNull();
  });

  it.each([
    ["empty", "", "required"],
    ["only spaces", "   ", "required"],
    ["no at", "mina.example.com", "email_invalid"],
    ["two ats", "mi@na@example.com", "email_invalid"],
    ["no local part", "@example.com", "email_invalid"],
    ["no dot in domain", "mina@localhost", "email_invalid"],
    ["empty label", "mina@example..com", "email_invalid"],
    ["trailing dot", "mina@example.com.", "email_invalid"],
    ["hyphen edge", "mina@-example.com", "email_invalid"],
    ["inner space", "mi na@example.com", "email_invalid"],
    ["control character", "mina\u0000@example.com", "email_invalid"],
    ["local part over 64", `${"a".repeat(65)}@example.com`, "email_invalid"],
    ["over 254 in all", `a@${"b".repeat(250)}.com`, "email_invalid"],
  ])("rejects %s", (_label, value, problem) => {
    expect(validateEmail(value)).toBe(problem);
  });
});

describe("validatePassword", () => {
  it.each([
    ["8 characters", "abcd1234"],
    ["128 characters", "a".repeat(128)],
    ["hangul", "비밀번호입니다요"],
    ["astral characters count once", "😀".repeat(8)],
    ["digits with one letter", "1234567a"],
    ["spaces", "correct horse battery staple"],
  ])("accepts %s", (_label, value) => {
    expect(validatePassword(value, "mina")).toBeNull();
  });

  it.each([
    ["empty", "", "required"],
    ["7 characters", "abc1234", "password_length"],
    ["129 characters", "a".repeat(129), "password_length"],
    ["7 emoji (14 UTF-16 units)", "😀".repeat(7), "password_length"],
    ["all ASCII digits", "12345678", "password_digits"],
    ["all Arabic-Indic digits", "١٢٣٤٥٦٧٨", "password_digits"],
    ["all full-width digits", "１２３４５６７８", "password_digits"],
    ["the username", "minakim1", "password_username"],
    ["the username in other case", "MinaKim1", "password_username"],
  ])("rejects %s", (_label, value, problem) => {
    expect(validatePassword(value, "minakim1")).toBe(problem);
  });

  it("skips the username rule when no username is known", () => {
    expect(validatePassword("minakim1")).toBeNull();
  });
});

describe("validateConfirm", () => {
  it("needs the exact same password", () => {
    expect(validateConfirm("secret pw", "secret pw")).toBeNull();
    expect(validateConfirm("secret pw", "secret pW")).toBe("confirm_mismatch");
    expect(validateConfirm("secret pw", "")).toBe("required");
  });

  it("compares without Unicode normalization", () => {
    // "é" precomposed versus e + combining accent: different bytes, different passwords.
    expect(validateConfirm("caf\u00e9caf\u00e9", "cafe\u0301cafe\u0301")).toBe("confirm_mismatch");
  });
});

describe("passwordStrength", () => {
  it.each([
    ["short", "abc", "weak"],
    ["common word", "password123!", "weak"],
    ["repeated characters", "aaaaaaaaaaaaaaaa", "weak"],
    ["lower and digits, 10", "horse42sun", "fair"],
    ["three classes, 10", "Horse42sun", "good"],
    ["long passphrase with mixed classes", "Correct-Horse-Battery-9", "strong"],
  ])("%s", (_label, value, expected) => {
    expect(passwordStrength(value)).toBe(expected);
  });
});

describe("validateNickname", () => {
  it.each([
    ["empty (optional)", ""],
    ["hangul", "김미나"],
    ["50 code points", "가".repeat(50)],
    ["50 emoji", "😀".repeat(50)],
    ["trimmed to 50", ` ${"a".repeat(50)} `],
  ])("accepts %s", (_label, value) => {
    expect(validateNickname(value)).toBeNull();
  });

  it.each([
    ["51 code points", "가".repeat(51), "nickname_length"],
    ["51 emoji", "😀".repeat(51), "nickname_length"],
    ["joined emoji counted by code point", "👩‍👩‍👧".repeat(11), "nickname_length"],
    ["control character", "mi\u0007na", "nickname_control"],
  ])("rejects %s", (_label, value, problem) => {
    expect(validateNickname(value)).toBe(problem);
  });
});

describe("phone", () => {
  it.each([
    ["E.164", "+821012345678", "+821012345678"],
    ["spaces and dashes", "+82 10-1234-5678", "+821012345678"],
    ["brackets", "+1 (415) 555-0100", "+14155550100"],
    ["full-width digits and plus", "＋８２１０１２３４５６７８", "+821012345678"],
  ])("normalizes %s", (_label, value, expected) => {
    expect(normalizePhone(value)).toBe(expected);
    expect(validatePhone(value)).toBeNull();
  });

  it.each([
    ["no plus", "01012345678"],
    ["leading zero country code", "+0101234567"],
    ["16 digits", "+1234567890123456"],
    ["too short", "+12345"],
    ["letters", "+82abc1234567"],
    ["Arabic-Indic digits", "+٨٢١٠١٢٣٤٥٦٧٨"],
    ["two plus signs", "++821012345678"],
  ])("rejects %s", (_label, value) => {
    expect(validatePhone(value)).toBe("phone_invalid");
  });

  it("is optional", () => {
    expect(validatePhone("")).toBeNull();
    expect(validatePhone("  ")).toBeNull();
  });
});

describe("validateCode", () => {
  it.each([
    ["six digits", "123456", null],
    ["spaces inside", "123 456", null],
    ["full-width digits", "１２３４５６", null],
    ["empty", "", "required"],
    ["five digits", "12345", "code_invalid"],
    ["seven digits", "1234567", "code_invalid"],
    ["letters", "12a456", "code_invalid"],
  ])("%s", (_label, value, expected) => {
    expect(validateCode(value)).toBe(expected);
  });
});

describe("validateRequired", () => {
  it("needs something other than spaces", () => {
    expect(validateRequired("mina")).toBeNull();
    expect(validateRequired(" \t")).toBe("required");
  });
});

describe("validateNodeName", () => {
  it.each([
    ["a plain name", "photo.jpg", null],
    ["spaces around are trimmed", "  photo.jpg ", null],
    ["Korean and emoji", "여름 휴가 🌊", null],
    ["empty", "", "required"],
    ["only spaces", "   ", "required"],
    ["255 code points", "가".repeat(255), null],
    ["256 code points", "가".repeat(256), "name_length"],
    ["a slash", "a/b", "name_slash"],
    ["a control character", "a\u0007b", "name_control"],
    ["DEL", "a\u007fb", "name_control"],
    ["a dot", ".", "name_dots"],
    ["two dots", "..", "name_dots"],
    ["three dots are fine", "...", null],
    ["a dotfile is fine", ".env", null],
  ])("%s", (_label, value, expected) => {
    expect(validateNodeName(value)).toBe(expected);
  });
});
