// Languages, the choice of one (remembered in localStorage, else from the browser), and
// translation with `{name}` placeholders. Catalogs are flat: `page.part` keys.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, type MessageKey, type Messages } from "./en";
import { ko } from "./ko";

export type { MessageKey, Messages };

export const LANGS = ["en", "ko"] as const;
export type Lang = (typeof LANGS)[number];

export const catalogs: Record<Lang, Messages> = { en, ko };

/** Each language names itself in the switcher. */
export const LANG_NAMES: Record<Lang, string> = { en: "English", ko: "한국어" };

const STORAGE_KEY = "teamdrive.lang";

function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** The stored choice if any, else the first browser language we have, else English. */
export function detectLang(stored: string | null, preferred: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return "en";
}

export function initialLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be off (private mode, policy); the browser's language still works.
  }
  const preferred = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return detectLang(stored, preferred);
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered across visits; the choice still holds for this one.
  }
  document.documentElement.lang = lang;
}

export type Params = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = catalogs[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** "in 5 minutes" / "5분 후": how long to wait, in the reader's language. */
export function formatWait(lang: Lang, seconds: number): string {
  const format = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
  if (seconds < 60) return format.format(Math.max(1, Math.ceil(seconds)), "second");
  if (seconds < 3600) return format.format(Math.ceil(seconds / 60), "minute");
  return format.format(Math.ceil(seconds / 3600), "hour");
}

/** "5 minutes ago" / "5분 전": how long since a moment, in the largest unit that fits. */
export function formatAgo(lang: Lang, iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 60) return format.format(0, "second");
  if (seconds < 3600) return format.format(-Math.floor(seconds / 60), "minute");
  if (seconds < 86_400) return format.format(-Math.floor(seconds / 3600), "hour");
  return format.format(-Math.floor(seconds / 86_400), "day");
}

export function formatBytes(lang: Lang, bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // ICU spells bytes "0 byte" (English) or "0byte" (Korean); the symbol B reads right in both.
  if (unit === 0) return `${new Intl.NumberFormat(lang).format(value)} B`;
  return new Intl.NumberFormat(lang, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

export function formatDate(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(date);
}

/** A day in a list: "Nov 23, 2026" / "2026. 11. 23.". */
export function formatDay(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(date);
}

/** A moment in a list: "Nov 23, 2026, 3:04 PM" / "2026. 11. 23. 오후 3:04". */
export function formatDateTime(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export type Translate = (key: MessageKey, params?: Params) => string;

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

export const I18nContext = createContext<I18n>({
  lang: "en",
  setLang: () => undefined,
  t: (key, params) => translate("en", key, params),
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
