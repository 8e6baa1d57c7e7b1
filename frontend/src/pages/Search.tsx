// Search by name across everything the person can see. The API reads a bounded part of its
// index per request, so a page can come back short (even empty) with more to follow: this
// page keeps asking until it has something to show or the list ends.
import type { JSX } from "preact";
import { api, type DriveNode, type ListPage, type User } from "../api";
import { ErrorNotice } from "../components/ErrorNotice";
import { LoadMore } from "../components/LoadMore";
import { Page } from "../components/Page";
import { Working } from "../components/Working";
import { canWrite } from "../drive";
import { useAction } from "../form";
import { formatBytes, formatDay, useI18n } from "../i18n";
import { Link, useLocation } from "../router";
import { folderHref } from "./drive/Breadcrumbs";
import { DriveBar } from "./drive/DriveBar";
import { Empty } from "./drive/Empty";
import { NodeIcon } from "./drive/Icon";
import { usePaged } from "./drive/usePaged";

const WANTED = 20;
const MAX_REQUESTS = 5;

async function searchPage(q: string, cursor: string | null): Promise<ListPage<DriveNode>> {
  const items: DriveNode[] = [];
  let next = cursor;
  for (let request = 0; request < MAX_REQUESTS; request++) {
    const page = await api.search(q, { cursor: next });
    items.push(...page.items);
    next = page.next_cursor;
    if (next === null || items.length >= WANTED) break;
  }
  return { items, next_cursor: next };
}

export function Search({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
  const location = useLocation();
  const q = (location.query.get("q") ?? "").trim();
  const list = usePaged(`search:${q}`, (cursor) =>
    q === "" ? Promise.resolve({ items: [], next_cursor: null }) : searchPage(q, cursor),
  );
  const downloading = useAction();
  const rootId = user.storage.root_folder_id;

  const download = (node: DriveNode): void => {
    void downloading.run(async () => {
      const link = await api.downloadLink(node.id);
      window.location.assign(link.url);
    });
  };

  return (
    <div class="drive">
      <DriveBar current="search" query={q} />
      <Page width="full" title={q === "" ? t("search.title") : t("search.results_for", { q })}>
        {q === "" && <p class="muted">{t("search.prompt")}</p>}
        <ErrorNotice error={list.error} />
        <ErrorNotice error={downloading.error} />
        {list.status === "loading" && q !== "" && <Working>{t("drive.loading")}</Working>}
        {q !== "" && list.status === "ready" && list.items.length === 0 && list.cursor === null && (
          <Empty icon="search" title={t("search.none", { q })} />
        )}
        {list.items.length > 0 && (
          <ul class="rows" aria-label={t("search.results_for", { q })}>
            {list.items.map((node) => (
              <li key={node.id} class="row">
                <NodeIcon node={node} />
                <span class="row__label">
                  {node.kind === "folder" ? (
                    <Link class="row__title" href={folderHref(node.id, rootId)}>
                      {node.name}
                    </Link>
                  ) : (
                    <button
                      type="button"
                      class="row__title row__title--button"
                      onClick={() => {
                        download(node);
                      }}
                    >
                      {node.name}
                    </button>
                  )}
                  <span class="row__sub">
                    {node.kind === "folder" ? t("drive.folder") : formatBytes(lang, node.size)} ·{" "}
                    {formatDay(lang, node.created_at)}
                    {!canWrite(node) && ` · ${t("drive.read_only")}`}
                  </span>
                </span>
                <span class="row__actions">
                  {node.parent_id !== null && (
                    <Link class="button button--secondary" href={folderHref(node.parent_id, rootId)}>
                      {t("search.show_in_folder")}
                    </Link>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
        {list.cursor !== null && list.status === "ready" && (
          <LoadMore onMore={list.more}>
            {list.items.length === 0 ? t("search.more_coming") : t("drive.load_more")}
          </LoadMore>
        )}
      </Page>
    </div>
  );
}
