// A search field with its icon and submit button, as the drive bar and the operators' page
// show it; what it searches is the caller's, handed the trimmed text on submit.
import type { JSX } from "preact";
import { useId } from "preact/hooks";
import { useI18n } from "../../i18n";
import { Icon } from "./Icon";

export function SearchBox({
  label,
  placeholder,
  name,
  maxLength,
  value,
  onInput,
  onSearch,
}: {
  label: string;
  placeholder: string;
  name?: string;
  maxLength: number;
  value: string;
  onInput: (value: string) => void;
  onSearch: (text: string) => void;
}): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  return (
    <form
      class="search-box"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(value.trim());
      }}
    >
      <label for={id} class="visually-hidden">
        {label}
      </label>
      <span class="search-box__icon">
        <Icon name="search" size={18} />
      </span>
      <input
        id={id}
        class="search-box__input"
        type="search"
        name={name}
        value={value}
        placeholder={placeholder}
        maxLength={maxLength}
        autoComplete="off"
        onInput={(event) => {
          onInput(event.currentTarget.value);
        }}
      />
      <button type="submit" class="search-box__submit">
        {t("nav.search_submit")}
      </button>
    </form>
  );
}
