// Asks for a password reset link for a username or email. The answer never says whether
// the account exists.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api } from "../api";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { describeError } from "../errors";
import { focusProblem, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { validateRequired } from "../validation";

export function ForgotPassword(): JSX.Element {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ login: "" }, { login: validateRequired });
  const [sent, setSent] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const result = await action.run(() => api.forgotPassword(form.values.login.trim()));
    if (result.ok) setSent(true);
    else form.showServerFields(result.error);
    focusProblem(ref.current);
  };

  return (
    <Page title={t("forgot_password.title")} intro={t("forgot_password.intro")}>
      <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label={t("field.login")}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          {...form.field("login")}
        />
        {action.error !== null && <Notice kind="error">{describeError(action.error, t, lang)}</Notice>}
        {sent && <Notice kind="success">{t("forgot_password.sent")}</Notice>}
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("forgot_password.submit")}
        </Button>
      </form>
      <p class="page__aside">
        <Link href="/signin">{t("common.back_to_signin")}</Link>
      </p>
    </Page>
  );
}
