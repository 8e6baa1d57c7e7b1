// After signing up: where the link went, and a way to have it sent again.
import type { JSX } from "preact";
import { Page } from "../components/Page";
import { ResendVerification } from "../components/ResendVerification";
import { useI18n } from "../i18n";
import { Link, useLocation } from "../router";

function emailFrom(state: unknown): string {
  if (typeof state === "object" && state !== null && "email" in state && typeof state.email === "string") {
    return state.email;
  }
  return "";
}

export function CheckEmail(): JSX.Element {
  const { t } = useI18n();
  const email = emailFrom(useLocation().state);
  return (
    <Page title={t("check_email.title")}>
      <div class="stack">
        <p>{email !== "" ? t("check_email.sent_to", { email }) : t("check_email.sent")}</p>
        <p class="muted">{t("check_email.expires")}</p>
        <h2 class="section__title">{t("check_email.not_received")}</h2>
        <ResendVerification email={email} intro={t("check_email.resend_intro")} />
        <p class="page__aside">
          <Link href="/signin">{t("check_email.signin_link")}</Link>
        </p>
      </div>
    </Page>
  );
}
