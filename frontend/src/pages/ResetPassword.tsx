// Choosing a new password from an emailed reset link. Success signs every session out, so
// the person signs in again with the new password.
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Form } from "../components/Form";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { withFlash } from "../flash";
import { showFailure, useAction, useForm } from "../form";
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
  const { t } = useI18n();
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
    showFailure(form, action, result.error, ref.current);
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
      <Form formRef={ref} onSubmit={submit}>
        <NewPasswordFields
          label={t("field.new_password")}
          password={form.field("password")}
          confirm={form.field("confirm")}
        />
        <ErrorNotice error={action.error} />
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("reset.submit")}
        </Button>
      </Form>
    </Page>
  );
}
