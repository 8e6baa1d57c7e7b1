// A labelled drop-down of a few fixed choices, styled as a form field.
import type { JSX } from "preact";
import { useId } from "preact/hooks";

export function SelectField<T extends string>({
  label,
  value,
  options,
  optionLabel,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: (option: T) => string;
  onChange: (value: T) => void;
}): JSX.Element {
  const id = useId();
  return (
    <div class="field">
      <label for={id} class="field__label">
        {label}
      </label>
      <select
        id={id}
        class="select select--field"
        value={value}
        onChange={(event) => {
          onChange(event.currentTarget.value as T);
        }}
      >
        {options.map((each) => (
          <option key={each} value={each}>
            {optionLabel(each)}
          </option>
        ))}
      </select>
    </div>
  );
}
