// "Are you sure?" before something that cannot be undone; the confirming button shows
// progress while the request runs and the dialog stays open to show what went wrong.
import type { JSX } from "preact";
import { useI18n } from "../i18n";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { ErrorNotice } from "./ErrorNotice";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps): JSX.Element {
  const { t } = useI18n();
  const close = (): void => {
    if (!props.busy) props.onClose();
  };
  return (
    <Dialog open={props.open} title={props.title} onClose={close}>
      <div class="stack">
        <p>{props.text}</p>
        <ErrorNotice error={props.error} />
        <div class="actions actions--end">
          <Button variant="secondary" disabled={props.busy} onClick={close}>
            {t("common.cancel")}
          </Button>
          <Button variant="danger" busy={props.busy} onClick={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
