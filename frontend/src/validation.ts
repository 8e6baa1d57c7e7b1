// Client-side checks that mirror the API's rules (shared/API.md), so a person sees a problem
// as they type instead of after a round trip. The server stays the judge: its field errors
// are shown the same way. Lengths count Unicode code points, as the API does.

/** What is wrong with a value; each has a message `problem.<name>` in the catalogs. */
export type Problem =
  | "required"
  | "username_length"
  | "username_chars"
  | "email_invalid"
  | "password_length"
  | "password_digits"
  | "password_username"
  | "confirm_mismatch"
  | "nickname_length"
  | "nickname_control"
  | "phone_invalid"
  | "code_invalid"
  | "name_length"
  | "name_slash"
  | "name_control"
  | "name_dots"
  | "team_name_length"
  | "expiry_range"
  | "limit_range"
  | "share_password_length"
  | "quota_invalid";

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NICKNAME_MAX = 50;
export const NODE_NAME_MAX = 255;
export const TEAM_NAME_MAX = 100;
const EMAIL_MAX = 254;

export function codePoints(value: string): number {
  return Array.from(value).length;
}

/**
 * Usernames are stored lowercased; the field shows them that way while typing. Only ASCII
 * letters are folded: toLowerCase() would turn "K" (Kelvin sign) into an ASCII "k".
 */
export function normalizeUsername(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function validateUsername(value: string): Problem | null {
  if (value === "") return "required";
  if (!/^[A-Za-z0-9_.-]*$/.test(value)) return "username_chars";
  const n = codePoints(value);
  if (n < USERNAME_MIN || n > USERNAME_MAX) return "username_length";
  return null;
}

export function normalizeEmail(value: string): string {
  return value.trim();
}

export function validateEmail(value: string): Problem | null {
  const email = normalizeEmail(value);
  if (email === "") return "required";
  if (codePoints(email) > EMAIL_MAX) return "email_invalid";
  const at = email.lastIndexOf("@");
  if (at < 1 || email.indexOf("@") !== at) return "email_invalid";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (codePoints(local) > 64 || /[\s\p{Cc}]/u.test(email)) return "email_invalid";
  const labels = domain.split(".");
  if (labels.length < 2 || labels.some((label) => label === "" || label.startsWith("-") || label.endsWith("-"))) {
    return "email_invalid";
  }
  return null;
}

export function validatePassword(password: string, username = ""): Problem | null {
  if (password === "") return "required";
  const n = codePoints(password);
  if (n < PASSWORD_MIN || n > PASSWORD_MAX) return "password_length";
  // \p{Nd} also covers non-ASCII decimal digits, which the server's isdigit() counts too.
  if (/^\p{Nd}+$/u.test(password)) return "password_digits";
  if (username !== "" && password.toLowerCase() === username.toLowerCase()) return "password_username";
  return null;
}

export function validateConfirm(password: string, confirm: string): Problem | null {
  if (confirm === "") return "required";
  return confirm === password ? null : "confirm_mismatch";
}

export type Strength = "weak" | "fair" | "good" | "strong";

const COMMON = ["password", "qwerty", "12345", "abcde", "11111", "letmein", "iloveyou", "admin"];

/** A rough hint, not a rule: length and variety of characters, minus obvious patterns. */
export function passwordStrength(password: string): Strength {
  const n = codePoints(password);
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
  let score = 0;
  if (n >= 10) score++;
  if (n >= 14) score++;
  if (classes >= 2) score++;
  if (classes >= 3) score++;
  const lower = password.toLowerCase();
  if (n < PASSWORD_MIN || /(.)\1\1/u.test(password) || COMMON.some((word) => lower.includes(word))) {
    score = Math.min(score, 1);
  }
  return score <= 1 ? "weak" : score === 2 ? "fair" : score === 3 ? "good" : "strong";
}

export function normalizeNickname(value: string): string {
  return value.trim();
}

/** Nickname is optional: empty is fine. */
export function validateNickname(value: string): Problem | null {
  const nickname = normalizeNickname(value);
  if (codePoints(nickname) > NICKNAME_MAX) return "nickname_length";
  if (/\p{Cc}/u.test(nickname)) return "nickname_control";
  return null;
}

/** Accepts what people type (spaces, dashes, brackets, full-width digits) and keeps E.164. */
export function normalizePhone(value: string): string {
  return value.normalize("NFKC").replace(/[\s\-().]/gu, "");
}

/** Phone is optional: empty is fine; otherwise E.164 (+, country code, at most 15 digits). */
export function validatePhone(value: string): Problem | null {
  const phone = normalizePhone(value);
  if (phone === "") return null;
  return /^\+[1-9][0-9]{6,14}$/.test(phone) ? null : "phone_invalid";
}

export function normalizeCode(value: string): string {
  return value.normalize("NFKC").replace(/\s/gu, "");
}

export function validateCode(value: string): Problem | null {
  const code = normalizeCode(value);
  if (code === "") return "required";
  return /^[0-9]{6}$/.test(code) ? null : "code_invalid";
}

/** Only one thing to check on sign-in forms: that something was typed. */
export function validateRequired(value: string): Problem | null {
  return value.trim() === "" ? "required" : null;
}

/** A file or folder name as typed; spaces around it are surely not meant. */
export function normalizeNodeName(value: string): string {
  return value.trim();
}

/** The API's rule for names: 1–255 characters, no "/" or control character, not "." or "..". */
export function validateNodeName(value: string): Problem | null {
  const name = normalizeNodeName(value);
  if (name === "") return "required";
  if (codePoints(name) > NODE_NAME_MAX) return "name_length";
  if (name.includes("/")) return "name_slash";
  if (/\p{Cc}/u.test(name)) return "name_control";
  if (name === "." || name === "..") return "name_dots";
  return null;
}

/** A team's name: 1–100 characters once trimmed, no control characters. */
export function validateTeamName(value: string): Problem | null {
  const name = value.trim();
  if (name === "") return "required";
  if (codePoints(name) > TEAM_NAME_MAX) return "team_name_length";
  if (/\p{Cc}/u.test(name)) return "name_control";
  return null;
}
