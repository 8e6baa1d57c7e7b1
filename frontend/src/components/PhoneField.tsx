// The optional phone number, in international form.
import type { JSX } from "preact";
import type { FieldBinding } from "../form";
import { useI18n } from "../i18n";
import { Field } from "./Field";

export function PhoneField(binding: FieldBinding): JSX.Element {
  const { t } = useI18n();
  return (
    <Field
      label={t("field.phone")}
      type="tel"
      optional
      autoComplete="tel"
      inputMode="tel"
      placeholder="+821012345678"
      hint={t("signup.phone_hint")}
      {...binding}
    />
  );
}
