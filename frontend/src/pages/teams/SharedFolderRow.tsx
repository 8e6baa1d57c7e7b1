// One folder shared with a team, as "Shared with me" and a team's page list it: the folder,
// opening in the drive, a line about it, and whether the team may change it.
import type { ComponentChildren, JSX } from "preact";
import type { SharedFolder } from "../../api";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { folderHref } from "../drive/Breadcrumbs";
import { Icon } from "../drive/Icon";

export function SharedFolderRow({
  class: className,
  folder,
  rootId,
  sub,
  children,
}: {
  class: string;
  folder: SharedFolder;
  rootId: string;
  sub: ComponentChildren;
  children?: ComponentChildren;
}): JSX.Element {
  const { t } = useI18n();
  return (
    <li class={className}>
      <span class="kind kind--folder" aria-hidden="true">
        <Icon name="folder" size={24} />
      </span>
      <span class="row__label">
        <Link class="row__title" href={folderHref(folder.folder_id, rootId)}>
          {folder.name}
        </Link>
        <span class="row__sub">{sub}</span>
      </span>
      <span class={`badge ${folder.access === "write" ? "badge--ok" : "badge--muted"}`}>
        {folder.access === "write" ? t("team.access_write") : t("team.access_read")}
      </span>
      {children}
    </li>
  );
}
