// Creating an account: every field is checked as it is typed (after its first blur) and the
// server's objections land on the field they concern. Success leads to "check your email".
// A sign-in provider's button (Google…) creates the account at once instead.
import type { JSX } from "preact";
import { useRef } from "preact/hooks";
import { api, type RegisterInput, type User } from "../api";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { Form } from "../components/Form";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { Page } from "../components/Page";
import { PhoneField } from "../components/PhoneField";
import { ProviderButtons } from "../components/ProviderButtons";
import { showFailure, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { Link, navigate } from "../router";
import { useSession } from "../session";
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
  const { t } = useI18n();
  const { setUser } = useSession();
  const signedIn = (user: User): void => {
    setUser(user);
    navigate("/", { replace: true });
  };
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
    showFailure(form, action, result.error, ref.current, {
      username_taken: ["username", "error.username_taken"],
      email_taken: ["email", "error.email_taken"],
    });
  };

  return (
    <Page title={t("signup.title")} intro={t("signup.intro")}>
      <Form formRef={ref} onSubmit={submit}>
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
        <NewPasswordFields
          label={t("field.password")}
          password={form.field("password")}
          confirm={form.field("confirm")}
        />
        <Field
          label={t("field.nickname")}
          optional
          autoComplete="nickname"
          hint={t("signup.nickname_hint")}
          {...form.field("nickname")}
        />
        <PhoneField {...form.field("phone")} />
        <ErrorNotice error={action.error} />
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {action.busy ? t("signup.submitting") : t("signup.submit")}
        </Button>
      </Form>
      <ProviderButtons onSignedIn={signedIn} />
      <p class="page__aside">
        {t("signup.have_account")} <Link href="/signin">{t("signup.signin_link")}</Link>
      </p>
    </Page>
  );
}
