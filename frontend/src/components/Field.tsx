// A labelled input with its hint and error wired up for assistive technology, and an
// optional show/hide toggle for passwords.
import type { ComponentChildren, InputHTMLAttributes, JSX, LooseInputHTMLAttributes } from "preact";
import { useId, useState } from "preact/hooks";
import type { FieldBinding } from "../form";
import { useI18n } from "../i18n";

interface InputAttributes {
  autoComplete?: string;
  inputMode?: "text" | "email" | "tel" | "numeric";
  placeholder?: string;
  maxLength?: number;
  autoFocus?: boolean;
  spellcheck?: boolean;
  autoCapitalize?: "none" | "sentences";
}

export interface FieldProps extends FieldBinding, InputAttributes {
  label: string;
  type?: "text" | "email" | "password" | "tel";
  hint?: ComponentChildren;
  optional?: boolean;
  revealable?: boolean;
  disabled?: boolean;
  children?: ComponentChildren;
}

export function Field({
  label,
  type = "text",
  hint,
  optional = false,
  revealable = false,
  error,
  children,
  ...input
}: FieldProps): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const [revealed, setRevealed] = useState(false);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  // Preact types an input by its `type`; ours varies, so build the loose form and state it.
  const attributes: LooseInputHTMLAttributes = {
    ...input,
    id,
    class: "input",
    type: revealable && revealed ? "text" : type,
    required: !optional,
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": describedBy || undefined,
  };
  return (
    <div class={`field${error ? " field--invalid" : ""}`}>
      <label for={id} class="field__label">
        {label}
        {optional && <span class="field__optional"> {t("form.optional")}</span>}
      </label>
      <div class="field__control">
        <input {...(attributes as InputHTMLAttributes)} />
        {revealable && (
          <button
            type="button"
            class="field__reveal"
            aria-pressed={revealed}
            aria-controls={id}
            onClick={() => {
              setRevealed(!revealed);
            }}
          >
            {revealed ? t("form.hide") : t("form.show")}
          </button>
        )}
      </div>
      {children}
      {hint && (
        <p id={hintId} class="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} class="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
