// Signing in with a username or email and a password, or with a sign-in provider (Google…).
// An unverified address gets its own way out: sending the link again.
import type { JSX } from "preact";
import { useRef } from "preact/hooks";
import { api, ApiError, type User } from "../api";
import { Button } from "../components/Button";
import { CurrentPasswordField } from "../components/CurrentPasswordField";
import { ErrorNotice } from "../components/ErrorNotice";
import { Form } from "../components/Form";
import { LoginField } from "../components/LoginField";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { ProviderButtons } from "../components/ProviderButtons";
import { ResendVerification } from "../components/ResendVerification";
import { readFlash } from "../flash";
import { showFailure, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { Link, navigate, safeNext, useLocation } from "../router";
import { useSession } from "../session";
import { validateRequired } from "../validation";

export function SignIn(): JSX.Element {
  const { t } = useI18n();
  const { setUser } = useSession();
  const location = useLocation();
  const flash = readFlash(location.state);
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ login: "", password: "" }, { login: validateRequired, password: validateRequired });

  const signedIn = (user: User): void => {
    setUser(user);
    navigate(safeNext(location.query.get("next")), { replace: true });
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const result = await action.run(() => api.login(form.values.login.trim(), form.values.password));
    if (result.ok) {
      signedIn(result.value);
      return;
    }
    showFailure(form, action, result.error, ref.current);
  };

  const unverified = action.error instanceof ApiError && action.error.code === "email_not_verified";
  const typedEmail = form.values.login.includes("@") ? form.values.login.trim() : "";

  return (
    <Page title={t("signin.title")}>
      {flash && <Notice kind="success">{t(flash)}</Notice>}
      <Form formRef={ref} onSubmit={submit}>
        <LoginField {...form.field("login")} />
        <CurrentPasswordField label={t("field.password")} {...form.field("password")} />
        <ErrorNotice error={action.error} />
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {action.busy ? t("signin.submitting") : t("signin.submit")}
        </Button>
        <p class="links">
          <Link href="/forgot-username">{t("signin.forgot_username")}</Link>
          <Link href="/forgot-password">{t("signin.forgot_password")}</Link>
        </p>
      </Form>
      {unverified && (
        <section class="panel" aria-labelledby="resend-title">
          <h2 id="resend-title" class="section__title">
            {t("signin.resend_title")}
          </h2>
          <ResendVerification email={typedEmail} intro={t("signin.resend_intro")} />
        </section>
      )}
      <ProviderButtons onSignedIn={signedIn} />
      <p class="page__aside">
        {t("signin.no_account")} <Link href="/signup">{t("signin.signup_link")}</Link>
      </p>
    </Page>
  );
}
