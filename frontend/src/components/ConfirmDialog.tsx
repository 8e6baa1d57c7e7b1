// "Are you sure?" before something that cannot be undone; the confirming button shows
// progress while the request runs and the dialog stays open to show what went wrong.
import type { JSX } from "preact";
import { Dialog } from "./Dialog";
import { DialogActions } from "./DialogActions";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel?: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps): JSX.Element {
  const close = (): void => {
    if (!props.busy) props.onClose();
  };
  return (
    <Dialog open={props.open} title={props.title} onClose={close}>
      <div class="stack">
        <p>{props.text}</p>
        <DialogActions busy={props.busy} error={props.error} onCancel={close} onConfirm={props.onConfirm}
          variant="danger"
          cancelLabel={props.cancelLabel}
        >
          {props.confirmLabel}
        </DialogActions>
      </div>
    </Dialog>
  );
}
