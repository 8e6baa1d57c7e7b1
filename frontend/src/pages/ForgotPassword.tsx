// Asks for a password reset link for a username or email. The answer never says whether
// the account exists.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api } from "../api";
import { BackToSignIn } from "../components/BackToSignIn";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Form } from "../components/Form";
import { LoginField } from "../components/LoginField";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { focusProblem, showFailure, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { validateRequired } from "../validation";

export function ForgotPassword(): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ login: "" }, { login: validateRequired });
  const [sent, setSent] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const result = await action.run(() => api.forgotPassword(form.values.login.trim()));
    if (result.ok) {
      setSent(true);
      focusProblem(ref.current);
    } else {
      showFailure(form, action, result.error, ref.current);
    }
  };

  return (
    <Page title={t("forgot_password.title")} intro={t("forgot_password.intro")}>
      <Form formRef={ref} onSubmit={submit}>
        <LoginField {...form.field("login")} />
        <ErrorNotice error={action.error} />
        {sent && <Notice kind="success">{t("forgot_password.sent")}</Notice>}
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("forgot_password.submit")}
        </Button>
      </Form>
      <BackToSignIn />
    </Page>
  );
}
