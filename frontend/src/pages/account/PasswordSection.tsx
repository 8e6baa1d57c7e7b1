// Changing the password. The API signs out every other session and keeps this one.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api, type User } from "../../api";
import { Button } from "../../components/Button";
import { CurrentPasswordField } from "../../components/CurrentPasswordField";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Form } from "../../components/Form";
import { NewPasswordFields } from "../../components/NewPasswordFields";
import { Notice } from "../../components/Notice";
import { focusProblem, showFailure, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { validateConfirm, validatePassword, validateRequired } from "../../validation";

export function PasswordSection({ user }: { user: User }): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const [done, setDone] = useState(false);
  const form = useForm(
    { current_password: "", new_password: "", confirm: "" },
    {
      current_password: validateRequired,
      new_password: (value) => validatePassword(value, user.username),
      confirm: (value, values) => validateConfirm(values.new_password, value),
    },
  );

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setDone(false);
    const { current_password: current, new_password: next } = form.values;
    const result = await action.run(() => api.changePassword(current, next));
    if (result.ok) {
      form.reset();
      setDone(true);
      focusProblem(ref.current);
      return;
    }
    showFailure(form, action, result.error, ref.current, {
      wrong_password: ["current_password", "error.wrong_password"],
    });
  };

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title" class="card__title">
        {t("account.password")}
      </h2>
      <Form formRef={ref} onSubmit={submit}>
        <CurrentPasswordField label={t("field.current_password")} {...form.field("current_password")} />
        <NewPasswordFields
          label={t("field.new_password")}
          password={form.field("new_password")}
          confirm={form.field("confirm")}
        />
        <ErrorNotice error={action.error} />
        {done && <Notice kind="success">{t("account.password_changed")}</Notice>}
        <div class="actions">
          <Button type="submit" variant="secondary" busy={action.busy} disabled={!form.valid}>
            {t("account.change_password")}
          </Button>
        </div>
      </Form>
    </section>
  );
}
