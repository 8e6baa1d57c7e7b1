// Setting an account's storage quota, typed in MB, GB or TB.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../api";
import { parseQuota, QUOTA_UNITS, quotaInput, type QuotaUnit } from "../../admin";
import { Dialog } from "../../components/Dialog";
import { DialogActions } from "../../components/DialogActions";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { SelectField } from "../../components/SelectField";
import { showFailure, useAction, useForm } from "../../form";
import { formatBytes, useI18n } from "../../i18n";

export function QuotaDialog({
  user,
  onSave,
  onClose,
}: {
  user: AdminUser | null;
  onSave: (user: AdminUser, bytes: number) => Promise<void>;
  onClose: () => void;
}): JSX.Element {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const [unit, setUnit] = useState<QuotaUnit>("GB");
  const form = useForm({ quota_bytes: "" }, { quota_bytes: (value) => (parseQuota(value, unit) === null ? "quota_invalid" : null) });
  const { reset } = form;

  useEffect(() => {
    if (!user) return;
    const shown = quotaInput(user.storage.quota_bytes);
    setUnit(shown.unit);
    reset({ quota_bytes: shown.amount });
    action.setError(null);
    // Only when the dialog opens for someone.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  const close = (): void => {
    if (!action.busy) onClose();
  };

  const bytes = parseQuota(form.values.quota_bytes, unit);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!user || bytes === null) return;
    const result = await action.run(() => onSave(user, bytes));
    if (result.ok) onClose();
    else showFailure(form, action, result.error, ref.current);
  };

  return (
    <Dialog open={user !== null} title={user ? t("admin.quota_title", { name: user.username }) : ""} onClose={close}>
      <Form formRef={ref} onSubmit={submit}>
        <div class="field-row">
          <Field
            label={t("admin.quota")}
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            hint={
              user
                ? t("admin.quota_hint", {
                    quota: formatBytes(lang, user.storage.quota_bytes),
                    used: formatBytes(lang, user.storage.used_bytes),
                  })
                : undefined
            }
            {...form.field("quota_bytes")}
          />
          <SelectField
            label={t("admin.quota_unit")}
            value={unit}
            options={Object.keys(QUOTA_UNITS) as QuotaUnit[]}
            optionLabel={(each) => each}
            onChange={setUnit}
          />
        </div>
        <DialogActions busy={action.busy} error={action.error} onCancel={close} disabled={bytes === null}>
          {t("common.save")}
        </DialogActions>
      </Form>
    </Dialog>
  );
}
