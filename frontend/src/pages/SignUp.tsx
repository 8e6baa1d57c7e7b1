// Creating an account: every field is checked as it is typed (after its first blur) and the
// server's objections land on the field they concern. Success leads to "check your email".
import type { JSX } from "preact";
import { useRef } from "preact/hooks";
import { api, ApiError, type RegisterInput } from "../api";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { PasswordStrength } from "../components/PasswordStrength";
import { describeError } from "../errors";
import { focusProblem, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { Link, navigate } from "../router";
import {
  normalizeEmail,
  normalizeNickname,
  normalizePhone,
  normalizeUsername,
  validateConfirm,
  validateEmail,
  validateNickname,
  validatePassword,
  validatePhone,
  validateUsername,
} from "../validation";

export function SignUp(): JSX.Element {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm(
    { username: "", email: "", password: "", confirm: "", nickname: "", phone: "" },
    {
      username: validateUsername,
      email: validateEmail,
      password: (value, values) => validatePassword(value, values.username),
      confirm: (value, values) => validateConfirm(values.password, value),
      nickname: validateNickname,
      phone: validatePhone,
    },
  );

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const { values } = form;
    const input: RegisterInput = {
      username: normalizeUsername(values.username),
      email: normalizeEmail(values.email),
      password: values.password,
    };
    const nickname = normalizeNickname(values.nickname);
    const phone = normalizePhone(values.phone);
    if (nickname !== "") input.nickname = nickname;
    if (phone !== "") input.phone = phone;

    const result = await action.run(() => api.register(input));
    if (result.ok) {
      navigate("/check-email", { state: { email: input.email } });
      return;
    }
    const { error } = result;
    if (error instanceof ApiError && error.code === "username_taken") {
      form.setServerError("username", "error.username_taken");
      action.setError(null);
    } else if (error instanceof ApiError && error.code === "email_taken") {
      form.setServerError("email", "error.email_taken");
      action.setError(null);
    } else {
      form.showServerFields(error);
    }
    focusProblem(ref.current);
  };

  return (
    <Page title={t("signup.title")} intro={t("signup.intro")}>
      <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label={t("field.username")}
          hint={t("signup.username_hint")}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          maxLength={30}
          {...form.field("username", normalizeUsername)}
        />
        <Field label={t("field.email")} type="email" autoComplete="email" {...form.field("email")} />
        <Field
          label={t("field.password")}
          type="password"
          revealable
          autoComplete="new-password"
          hint={t("signup.password_hint")}
          {...form.field("password")}
        >
          <PasswordStrength password={form.values.password} />
        </Field>
        <Field
          label={t("field.confirm_password")}
          type="password"
          autoComplete="new-password"
          {...form.field("confirm")}
        />
        <Field
          label={t("field.nickname")}
          optional
          autoComplete="nickname"
          hint={t("signup.nickname_hint")}
          {...form.field("nickname")}
        />
        <Field
          label={t("field.phone")}
          type="tel"
          optional
          autoComplete="tel"
          inputMode="tel"
          placeholder="+821012345678"
          hint={t("signup.phone_hint")}
          {...form.field("phone")}
        />
        {action.error !== null && <Notice kind="error">{describeError(action.error, t, lang)}</Notice>}
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {action.busy ? t("signup.submitting") : t("signup.submit")}
        </Button>
      </form>
      <p class="page__aside">
        {t("signup.have_account")} <Link href="/signin">{t("signup.signin_link")}</Link>
      </p>
    </Page>
  );
}
