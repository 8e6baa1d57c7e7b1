// A button that shows progress while its request runs and cannot be pressed twice.
import type { ComponentChildren, JSX } from "preact";

export interface ButtonProps {
  type?: "button" | "submit";
  variant?: "primary" | "secondary" | "danger" | "link";
  busy?: boolean;
  disabled?: boolean;
  onClick?: () => void;
  /** A fuller name for screen readers, starting with the visible text ("Restore photo.jpg"). */
  label?: string;
  children: ComponentChildren;
}

export function Button({
  type = "button",
  variant = "primary",
  busy = false,
  disabled = false,
  onClick,
  label,
  children,
}: ButtonProps): JSX.Element {
  return (
    <button
      type={type}
      class={`button button--${variant}`}
      disabled={disabled || busy}
      aria-busy={busy ? "true" : undefined}
      aria-label={label}
      onClick={onClick}
    >
      {busy && <span class="spinner" aria-hidden="true" />}
      <span>{children}</span>
    </button>
  );
}
