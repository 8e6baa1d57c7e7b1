// The way back to signing in, under the forms that help someone who cannot.
import type { JSX } from "preact";
import { useI18n } from "../i18n";
import { Link } from "../router";

export function BackToSignIn(): JSX.Element {
  const { t } = useI18n();
  return (
    <p class="page__aside">
      <Link href="/signin">{t("common.back_to_signin")}</Link>
    </p>
  );
}
