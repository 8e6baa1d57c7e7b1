// Where the folder is: each folder above it links back up; the root reads "My drive".
import type { JSX } from "preact";
import type { Crumb } from "../../api";
import { useI18n } from "../../i18n";
import { Link } from "../../router";

export function folderHref(id: string, rootId: string, query = ""): string {
  return (id === rootId ? "/drive" : `/drive/${encodeURIComponent(id)}`) + query;
}

export function Breadcrumbs({
  path,
  rootId,
  query,
}: {
  path: Crumb[];
  rootId: string;
  query: string;
}): JSX.Element | null {
  const { t } = useI18n();
  if (path.length < 2) return null;
  return (
    <nav aria-label={t("drive.breadcrumbs")}>
      <ol class="crumbs">
        {path.map((crumb, index) => {
          const name = crumb.name === "" ? t("nav.drive") : crumb.name;
          return (
            <li key={crumb.id} class="crumbs__item">
              {index === path.length - 1 ? (
                <span aria-current="page">{name}</span>
              ) : (
                <Link href={folderHref(crumb.id, rootId, query)}>{name}</Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
