// What a list shows until its read is in: a spinner while it runs, or what went wrong with a
// button to try again; nothing once it is ready.
import type { JSX } from "preact";
import { useI18n } from "../i18n";
import type { Loaded } from "../loaded";
import { Button } from "./Button";
import { ErrorNotice } from "./ErrorNotice";
import { Working } from "./Working";

export function LoadStatus({ loaded, onRetry }: { loaded: Loaded<unknown>; onRetry: () => void }): JSX.Element | null {
  const { t } = useI18n();
  if (loaded.status === "loading") return <Working>{t("drive.loading")}</Working>;
  if (loaded.status === "ready") return null;
  return (
    <div class="stack">
      <ErrorNotice error={loaded.error} />
      <div class="actions">
        <Button variant="secondary" onClick={onRetry}>
          {t("drive.retry")}
        </Button>
      </div>
    </div>
  );
}
