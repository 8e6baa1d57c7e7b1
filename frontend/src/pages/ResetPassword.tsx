// Choosing a new password from an emailed reset link. Success signs every session out, so
// the person signs in again with the new password.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { PasswordStrength } from "../components/PasswordStrength";
import { describeError } from "../errors";
import { withFlash } from "../flash";
import { focusProblem, useAction, useForm } from "../form";
import { useI18n } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { useSession } from "../session";
import { validateConfirm, validatePassword } from "../validation";

/** The link itself is no good (expired, used, unknown), as opposed to the new password. */
function isDeadLink(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if ("token" in error.fields) return true;
  return ["gone", "not_found", "invalid_token", "token_expired", "token_used"].includes(error.code);
}

export function ResetPassword(): JSX.Element {
  const { t, lang } = useI18n();
  const { setUser } = useSession();
  const location = useLocation();
  const [token] = useState(() => location.query.get("token") ?? "");
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm(
    { password: "", confirm: "" },
    {
      password: (value) => validatePassword(value),
      confirm: (value, values) => validateConfirm(values.password, value),
    },
  );

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const result = await action.run(() => api.resetPassword(token, form.values.password));
    if (result.ok) {
      // Every session was revoked, this browser's included.
      setUser(null);
      navigate("/signin", { replace: true, state: withFlash("flash.password_reset") });
      return;
    }
    form.showServerFields(result.error);
    focusProblem(ref.current);
  };

  if (token === "" || isDeadLink(action.error)) {
    return (
      <Page title={t("reset.title")}>
        <div class="stack">
          <Notice kind="error">{token === "" ? t("reset.missing") : t("reset.dead_link")}</Notice>
          <Link class="button button--primary" href="/forgot-password">
            {t("reset.request_new")}
          </Link>
        </div>
      </Page>
    );
  }

  return (
    <Page title={t("reset.title")} intro={t("reset.intro")}>
      <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label={t("field.new_password")}
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
        {action.error !== null && <Notice kind="error">{describeError(action.error, t, lang)}</Notice>}
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("reset.submit")}
        </Button>
      </form>
    </Page>
  );
}
