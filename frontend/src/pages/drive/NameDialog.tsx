// Naming a new folder, or renaming a file or folder. On rename the part before the
// extension is selected, so typing replaces the name and keeps ".jpg".
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { DriveNode } from "../../api";
import { Dialog } from "../../components/Dialog";
import { DialogActions } from "../../components/DialogActions";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { showFailure, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { normalizeNodeName, validateNodeName } from "../../validation";

export interface NameDialogProps {
  open: boolean;
  /** The node to rename; null to name a new folder. */
  node: DriveNode | null;
  onSubmit: (name: string) => Promise<unknown>;
  onClose: () => void;
}

export function NameDialog({ open, node, onSubmit, onClose }: NameDialogProps): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ name: node?.name ?? "" }, { name: validateNodeName });
  const { reset } = form;
  const current = node?.name ?? "";

  useEffect(() => {
    if (!open) return;
    reset({ name: current });
    action.setError(null);
    requestAnimationFrame(() => {
      const input = ref.current?.querySelector("input");
      if (!input) return;
      input.focus();
      const dot = node?.kind === "file" ? current.lastIndexOf(".") : -1;
      input.setSelectionRange(0, dot > 0 ? dot : current.length);
    });
    // Only when the dialog opens: later renders must not move the caret.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const close = (): void => {
    if (!action.busy) onClose();
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const name = normalizeNodeName(form.values.name);
    if (node?.name === name) {
      onClose();
      return;
    }
    const result = await action.run(() => onSubmit(name));
    if (result.ok) onClose();
    else showFailure(form, action, result.error, ref.current, { name_taken: ["name", "error.name_taken"] });
  };

  const title = node ? t("name.rename_title", { name: node.name }) : t("name.new_folder_title");
  return (
    <Dialog open={open} title={title} onClose={close}>
      <Form formRef={ref} onSubmit={submit}>
        <Field label={t("name.label")} autoComplete="off" spellcheck={false} maxLength={255} {...form.field("name")} />
        <DialogActions busy={action.busy} error={action.error} onCancel={close} disabled={!form.valid}>
          {node ? t("name.save") : t("name.create")}
        </DialogActions>
      </Form>
    </Dialog>
  );
}
