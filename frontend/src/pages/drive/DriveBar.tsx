// The drive's own navigation, above its pages: My drive, Shared with me, Teams, Trash, and
// the search box.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { Link, navigate } from "../../router";
import { Icon } from "./Icon";
import { SearchBox } from "./SearchBox";

export function DriveBar({
  current,
  query = "",
}: {
  current: "drive" | "shared" | "teams" | "trash" | "search";
  query?: string;
}): JSX.Element {
  const { t } = useI18n();
  const [q, setQ] = useState(query);
  useEffect(() => {
    setQ(query);
  }, [query]);
  return (
    <div class="drive-bar">
      <nav class="drive-bar__nav" aria-label={t("nav.label")}>
        <Link href="/drive" class="drive-bar__link" aria-current={current === "drive" ? "page" : undefined}>
          <Icon name="drive" />
          {t("nav.drive")}
        </Link>
        <Link href="/shared" class="drive-bar__link" aria-current={current === "shared" ? "page" : undefined}>
          <Icon name="shared" />
          {t("nav.shared")}
        </Link>
        <Link href="/teams" class="drive-bar__link" aria-current={current === "teams" ? "page" : undefined}>
          <Icon name="team" />
          {t("nav.teams")}
        </Link>
        <Link href="/trash" class="drive-bar__link" aria-current={current === "trash" ? "page" : undefined}>
          <Icon name="trash" />
          {t("nav.trash")}
        </Link>
      </nav>
      <SearchBox
        label={t("nav.search_label")}
        placeholder={t("nav.search_label")}
        name="q"
        maxLength={255}
        value={q}
        onInput={setQ}
        onSearch={(text) => {
          if (text !== "") navigate(`/search?q=${encodeURIComponent(text)}`);
        }}
      />
    </div>
  );
}
