// Sends the verification link again. The API answers the same whether or not the address
// has an account, so success says so without revealing anything.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api } from "../api";
import { describeError } from "../errors";
import { focusProblem, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { normalizeEmail, validateEmail } from "../validation";
import { Button } from "./Button";
import { Field } from "./Field";
import { Notice } from "./Notice";

export function ResendVerification({ email = "", intro }: { email?: string; intro?: string }): JSX.Element {
  const { t, lang } = useI18n();
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
    <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
      {intro && <p>{intro}</p>}
      <Field label={t("field.email")} type="email" autoComplete="email" {...form.field("email")} />
      {action.error !== null && <Notice kind="error">{describeError(action.error, t, lang)}</Notice>}
      {sentTo !== null && <Notice kind="success">{t("resend.sent", { email: sentTo })}</Notice>}
      <Button type="submit" variant="secondary" busy={action.busy} disabled={!form.valid}>
        {t("resend.submit")}
      </Button>
    </form>
  );
}
