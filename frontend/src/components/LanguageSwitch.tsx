// Picks the interface language; the choice is remembered for the next visit.
import type { JSX } from "preact";
import { useId } from "preact/hooks";
import { LANG_NAMES, LANGS, useI18n, type Lang } from "../i18n";

export function LanguageSwitch(): JSX.Element {
  const { lang, setLang, t } = useI18n();
  const id = useId();
  return (
    <div class="lang-switch">
      <label for={id} class="visually-hidden">
        {t("header.language")}
      </label>
      <select
        id={id}
        class="select"
        value={lang}
        onChange={(event) => {
          setLang(event.currentTarget.value as Lang);
        }}
      >
        {LANGS.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANG_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
