// Emails the username that belongs to an address. The answer never says whether the
// address has an account.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api } from "../api";
import { BackToSignIn } from "../components/BackToSignIn";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { Form } from "../components/Form";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { focusProblem, showFailure, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { normalizeEmail, validateEmail } from "../validation";

export function ForgotUsername(): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ email: "" }, { email: validateEmail });
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const email = normalizeEmail(form.values.email);
    const result = await action.run(() => api.forgotUsername(email));
    if (result.ok) {
      setSentTo(email);
      focusProblem(ref.current);
    } else {
      showFailure(form, action, result.error, ref.current);
    }
  };

  return (
    <Page title={t("forgot_username.title")} intro={t("forgot_username.intro")}>
      <Form formRef={ref} onSubmit={submit}>
        <Field label={t("field.email")} type="email" autoComplete="email" {...form.field("email")} />
        <ErrorNotice error={action.error} />
        {sentTo !== null && <Notice kind="success">{t("forgot_username.sent", { email: sentTo })}</Notice>}
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("forgot_username.submit")}
        </Button>
      </Form>
      <BackToSignIn />
    </Page>
  );
}
