// Changing the password. The API signs out every other session and keeps this one.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api, ApiError, type User } from "../../api";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { PasswordStrength } from "../../components/PasswordStrength";
import { describeError } from "../../errors";
import { focusProblem, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { validateConfirm, validatePassword, validateRequired } from "../../validation";

export function PasswordSection({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
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
    const { error } = result;
    if (error instanceof ApiError && error.code === "wrong_password") {
      form.setServerError("current_password", "error.wrong_password");
      action.setError(null);
    } else {
      form.showServerFields(error);
    }
    focusProblem(ref.current);
  };

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title" class="card__title">
        {t("account.password")}
      </h2>
      <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label={t("field.current_password")}
          type="password"
          revealable
          autoComplete="current-password"
          {...form.field("current_password")}
        />
        <Field
          label={t("field.new_password")}
          type="password"
          revealable
          autoComplete="new-password"
          hint={t("signup.password_hint")}
          {...form.field("new_password")}
        >
          <PasswordStrength password={form.values.new_password} />
        </Field>
        <Field
          label={t("field.confirm_password")}
          type="password"
          autoComplete="new-password"
          {...form.field("confirm")}
        />
        {action.error !== null && <Notice kind="error">{describeError(action.error, t, lang)}</Notice>}
        {done && <Notice kind="success">{t("account.password_changed")}</Notice>}
        <div class="actions">
          <Button type="submit" variant="secondary" busy={action.busy} disabled={!form.valid}>
            {t("account.change_password")}
          </Button>
        </div>
      </form>
    </section>
  );
}
