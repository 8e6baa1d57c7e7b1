// The foot of a dialog: what its request ended with, Cancel, and the button that does the
// dialog's work (its form's submit, unless `onConfirm` is given). Both wait while it runs.
import type { ComponentChildren, JSX } from "preact";
import { useI18n } from "../i18n";
import { Button, type ButtonProps } from "./Button";
import { ErrorNotice } from "./ErrorNotice";

export function DialogActions({
  busy,
  error,
  onCancel,
  onConfirm,
  variant = "primary",
  disabled = false,
  cancelLabel,
  children,
}: {
  busy: boolean;
  error: unknown;
  onCancel: () => void;
  onConfirm?: () => void;
  variant?: ButtonProps["variant"];
  disabled?: boolean;
  /** The closing button's words when "Cancel" would be ambiguous (cancelling an upload). */
  cancelLabel?: string | undefined;
  children: ComponentChildren;
}): JSX.Element {
  const { t } = useI18n();
  return (
    <>
      <ErrorNotice error={error} />
      <div class="actions actions--end">
        <Button variant="secondary" disabled={busy} onClick={onCancel}>
          {cancelLabel ?? t("common.cancel")}
        </Button>
        <Button
          type={onConfirm ? "button" : "submit"}
          variant={variant}
          busy={busy}
          disabled={disabled}
          {...(onConfirm ? { onClick: onConfirm } : {})}
        >
          {children}
        </Button>
      </div>
    </>
  );
}
