// The "username or email" field of signing in and of asking for a password reset.
import type { JSX } from "preact";
import type { FieldBinding } from "../form";
import { useI18n } from "../i18n";
import { Field } from "./Field";

export function LoginField(binding: FieldBinding): JSX.Element {
  const { t } = useI18n();
  return (
    <Field label={t("field.login")} autoComplete="username" autoCapitalize="none" spellcheck={false} {...binding} />
  );
}
