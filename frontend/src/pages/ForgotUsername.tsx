// Emails the username that belongs to an address. The answer never says whether the
// address has an account.
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
import { normalizeEmail, validateEmail } from "../validation";

export function ForgotUsername(): JSX.Element {
  const { t, lang } = useI18n();
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
      form.showServerFields(result.error);
      focusProblem(ref.current);
    }
  };

  return (
    <Page title={t("forgot_username.title")} intro={t("forgot_username.intro")}>
      <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t("field.email")} type="email" autoComplete="email" {...form.field("email")} />
        {action.error !== null && <Notice kind="error">{describeError(action.error, t, lang)}</Notice>}
        {sentTo !== null && <Notice kind="success">{t("forgot_username.sent", { email: sentTo })}</Notice>}
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("forgot_username.submit")}
        </Button>
      </form>
      <p class="page__aside">
        <Link href="/signin">{t("common.back_to_signin")}</Link>
      </p>
    </Page>
  );
}
