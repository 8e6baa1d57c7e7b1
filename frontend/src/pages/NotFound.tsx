// Any path the app does not know.
import type { JSX } from "preact";
import { Page } from "../components/Page";
import { useI18n } from "../i18n";
import { Link } from "../router";

export function NotFound(): JSX.Element {
  const { t } = useI18n();
  return (
    <Page title={t("not_found.title")} intro={t("not_found.text")}>
      <Link class="button button--primary" href="/">
        {t("not_found.home")}
      </Link>
    </Page>
  );
}
