// The button under a paged list that fetches its next page, with what went wrong if it failed.
import type { ComponentChildren, JSX } from "preact";
import { useAction } from "../form";
import { useI18n } from "../i18n";
import { Button } from "./Button";
import { ErrorNotice } from "./ErrorNotice";

export function LoadMore({ onMore, children }: { onMore: () => Promise<void>; children?: ComponentChildren }): JSX.Element {
  const { t } = useI18n();
  const paging = useAction();
  return (
    <div class="more">
      <Button variant="secondary" busy={paging.busy} onClick={() => void paging.run(onMore)}>
        {children ?? t("drive.load_more")}
      </Button>
      <ErrorNotice error={paging.error} />
    </div>
  );
}
