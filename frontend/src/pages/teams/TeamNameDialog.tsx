// Renaming a team.
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Dialog } from "../../components/Dialog";
import { DialogActions } from "../../components/DialogActions";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { showFailure, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { validateTeamName } from "../../validation";

export function TeamNameDialog({
  open,
  name,
  onSubmit,
  onClose,
}: {
  open: boolean;
  name: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ name }, { name: validateTeamName });
  const { reset } = form;

  useEffect(() => {
    if (!open) return;
    reset({ name });
    action.setError(null);
    requestAnimationFrame(() => ref.current?.querySelector("input")?.select());
    // Only when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const close = (): void => {
    if (!action.busy) onClose();
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const next = form.values.name.trim();
    if (next === name) {
      onClose();
      return;
    }
    const result = await action.run(() => onSubmit(next));
    if (result.ok) onClose();
    else showFailure(form, action, result.error, ref.current);
  };

  return (
    <Dialog open={open} title={t("team.rename_title")} onClose={close}>
      <Form formRef={ref} onSubmit={submit}>
        <Field label={t("teams.name")} autoComplete="off" maxLength={100} {...form.field("name")} />
        <DialogActions busy={action.busy} error={action.error} onCancel={close} disabled={!form.valid}>
          {t("common.save")}
        </DialogActions>
      </Form>
    </Dialog>
  );
}
