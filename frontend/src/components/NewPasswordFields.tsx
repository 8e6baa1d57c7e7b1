// Choosing a new password: the password with its rules and strength, then the same again
// to confirm it. Used when signing up, resetting a password and changing it.
import type { JSX } from "preact";
import type { FieldBinding } from "../form";
import { useI18n } from "../i18n";
import { Field } from "./Field";
import { PasswordStrength } from "./PasswordStrength";

export interface NewPasswordFieldsProps {
  /** The first field's label: "Password" on sign-up, "New password" elsewhere. */
  label: string;
  password: FieldBinding;
  confirm: FieldBinding;
}

export function NewPasswordFields({ label, password, confirm }: NewPasswordFieldsProps): JSX.Element {
  const { t } = useI18n();
  return (
    <>
      <Field
        label={label}
        type="password"
        revealable
        autoComplete="new-password"
        hint={t("signup.password_hint")}
        {...password}
      >
        <PasswordStrength password={password.value} />
      </Field>
      <Field label={t("field.confirm_password")} type="password" autoComplete="new-password" {...confirm} />
    </>
  );
}
