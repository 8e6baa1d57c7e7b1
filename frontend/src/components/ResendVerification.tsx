// Sends the verification link again. The API answers the same whether or not the address
// has an account, so success says so without revealing anything.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api } from "../api";
import { focusProblem, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { normalizeEmail, validateEmail } from "../validation";
import { Button } from "./Button";
import { ErrorNotice } from "./ErrorNotice";
import { Field } from "./Field";
import { Form } from "./Form";
import { Notice } from "./Notice";

export function ResendVerification({ email = "", intro }: { email?: string; intro?: string }): JSX.Element {
  const { t } = useI18n();
  const form = useForm({ email }, { email: validateEmail });
  const action = useAction();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const ref = useRef<HTMLFormElement>(null);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const address = normalizeEmail(form.values.email);
    const result = await action.run(() => api.resendVerification(address));
    if (result.ok) setSentTo(address);
    else if (!form.showServerFields(result.error)) focusProblem(ref.current);
  };

  return (
    <Form formRef={ref} onSubmit={submit}>
      {intro && <p>{intro}</p>}
      <Field label={t("field.email")} type="email" autoComplete="email" {...form.field("email")} />
      <ErrorNotice error={action.error} />
      {sentTo !== null && <Notice kind="success">{t("resend.sent", { email: sentTo })}</Notice>}
      <Button type="submit" variant="secondary" busy={action.busy} disabled={!form.valid}>
        {t("resend.submit")}
      </Button>
    </Form>
  );
}
