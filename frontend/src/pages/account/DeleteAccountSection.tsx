// Deleting the account for good, behind a confirmation dialog that asks for the password.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { CurrentPasswordField } from "../../components/CurrentPasswordField";
import { Dialog } from "../../components/Dialog";
import { DialogActions } from "../../components/DialogActions";
import { Form } from "../../components/Form";
import { withFlash } from "../../flash";
import { showFailure, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { navigate } from "../../router";
import { useSession } from "../../session";

export function DeleteAccountSection(): JSX.Element {
  const { t } = useI18n();
  const { setUser } = useSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ password: "" }, {});

  const close = (): void => {
    if (action.busy) return;
    setOpen(false);
    form.reset();
    action.setError(null);
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const password = form.values.password;
    const result = await action.run(() => api.deleteMe(password === "" ? undefined : password));
    if (result.ok) {
      setOpen(false);
      setUser(null);
      navigate("/signin", { replace: true, state: withFlash("flash.account_deleted") });
      return;
    }
    showFailure(form, action, result.error, ref.current, { wrong_password: ["password", "error.wrong_password"] });
  };

  return (
    <section class="card card--danger" aria-labelledby="delete-title">
      <h2 id="delete-title" class="card__title">
        {t("account.delete")}
      </h2>
      <p class="muted">{t("account.delete_intro")}</p>
      <div class="actions">
        <Button
          variant="danger"
          onClick={() => {
            setOpen(true);
          }}
        >
          {t("account.delete_open")}
        </Button>
      </div>
      <Dialog open={open} title={t("account.delete_confirm_title")} onClose={close}>
        <Form formRef={ref} onSubmit={submit}>
          <p>{t("account.delete_confirm_text")}</p>
          <CurrentPasswordField
            label={t("field.password")}
            optional
            hint={t("account.delete_password_hint")}
            {...form.field("password")}
          />
          <DialogActions busy={action.busy} error={action.error} onCancel={close} variant="danger">
            {t("account.delete_submit")}
          </DialogActions>
        </Form>
      </Dialog>
    </section>
  );
}
