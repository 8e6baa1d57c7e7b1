// A folder's items, as a sortable list or as a grid of thumbnails. Both offer the same
// things: a checkbox per item (shift-click selects a range), opening it (a folder) or
// downloading it (a file), and a menu of what the caller may do with it.
import type { JSX } from "preact";
import type { DriveNode, Sort } from "../../api";
import type { MenuItem } from "../../components/Menu";
import { canWrite, fileCategory, nextSort, sortDescending, sortField, type SortField } from "../../drive";
import { formatBytes, formatDay, useI18n } from "../../i18n";
import { Link } from "../../router";
import { ActionsColumn, ActionsMenu } from "./ActionsMenu";
import { KindIcon, NodeIcon, useThumbnail } from "./Icon";

export interface ItemsProps {
  items: DriveNode[];
  selected: ReadonlySet<string>;
  onSelect: (id: string, shift: boolean) => void;
  onSelectAll: (all: boolean) => void;
  actionsFor: (node: DriveNode) => MenuItem[];
  onDownload: (node: DriveNode) => void;
  hrefOf: (folder: DriveNode) => string;
}

function useDetail(): (node: DriveNode) => string {
  const { t, lang } = useI18n();
  return (node) => {
    if (node.kind === "folder") {
      if (node.child_count === undefined) return t("drive.folder");
      return node.child_count === 1 ? t("drive.items_one") : t("drive.items", { count: node.child_count });
    }
    if (node.status === "uploading") return t("drive.uploading");
    return formatBytes(lang, node.size);
  };
}

function Opener({
  node,
  hrefOf,
  onDownload,
  class: className,
  children,
}: {
  node: DriveNode;
  hrefOf: (folder: DriveNode) => string;
  onDownload: (node: DriveNode) => void;
  class: string;
  children: JSX.Element | JSX.Element[];
}): JSX.Element {
  const { t } = useI18n();
  if (node.kind === "folder") {
    return (
      <Link href={hrefOf(node)} class={className} title={node.name}>
        {children}
      </Link>
    );
  }
  return (
    <button
      type="button"
      class={className}
      title={t("drive.download_name", { name: node.name })}
      disabled={node.status !== "ready"}
      onClick={() => {
        onDownload(node);
      }}
    >
      {children}
    </button>
  );
}

function Check({
  node,
  selected,
  onSelect,
}: {
  node: DriveNode;
  selected: boolean;
  onSelect: ItemsProps["onSelect"];
}): JSX.Element | null {
  const { t } = useI18n();
  if (!canWrite(node)) return null;
  return (
    <input
      type="checkbox"
      class="check"
      checked={selected}
      aria-label={t("drive.select", { name: node.name })}
      onClick={(event) => {
        onSelect(node.id, event.shiftKey);
      }}
    />
  );
}

function ItemMenu({ node, actionsFor }: { node: DriveNode; actionsFor: ItemsProps["actionsFor"] }): JSX.Element | null {
  const items = actionsFor(node);
  if (items.length === 0) return null;
  return <ActionsMenu name={node.name} items={items} />;
}

export function SelectAll({
  items,
  selected,
  onSelectAll,
  labelled = false,
}: Pick<ItemsProps, "items" | "selected" | "onSelectAll"> & { labelled?: boolean }): JSX.Element | null {
  const { t } = useI18n();
  const selectable = items.filter(canWrite);
  if (selectable.length === 0) return null;
  const count = selectable.filter((node) => selected.has(node.id)).length;
  const box = (
    <input
      type="checkbox"
      class="check"
      aria-label={labelled ? undefined : t("drive.select_all")}
      checked={count > 0 && count === selectable.length}
      indeterminate={count > 0 && count < selectable.length}
      onChange={(event) => {
        onSelectAll(event.currentTarget.checked);
      }}
    />
  );
  if (!labelled) return box;
  return (
    <label class="select-all">
      {box}
      {t("drive.select_all")}
    </label>
  );
}

export function ItemList(props: ItemsProps & { sort: Sort; onSort: (sort: Sort) => void }): JSX.Element {
  const { t, lang } = useI18n();
  const detail = useDetail();
  const header = (field: SortField, label: string, className: string): JSX.Element => {
    const active = sortField(props.sort) === field;
    const direction = sortDescending(props.sort) ? "descending" : "ascending";
    return (
      <th scope="col" class={className} aria-sort={active ? direction : undefined}>
        <button
          type="button"
          class="sort-button"
          onClick={() => {
            props.onSort(nextSort(props.sort, field));
          }}
        >
          {label}
          {active && (
            <span class={`sort-button__arrow${direction === "descending" ? " is-down" : ""}`} aria-hidden="true" />
          )}
        </button>
      </th>
    );
  };
  return (
    <table class="nodes">
      <thead>
        <tr>
          <th scope="col" class="nodes__check">
            <SelectAll items={props.items} selected={props.selected} onSelectAll={props.onSelectAll} />
          </th>
          {header("name", t("drive.col_name"), "nodes__name")}
          {header("created", t("drive.col_created"), "nodes__created")}
          {header("size", t("drive.col_size"), "nodes__size")}
          <ActionsColumn />
        </tr>
      </thead>
      <tbody>
        {props.items.map((node) => {
          const selected = props.selected.has(node.id);
          return (
            <tr key={node.id} class={`nodes__row${selected ? " is-selected" : ""}`}>
              <td class="nodes__check">
                <Check node={node} selected={selected} onSelect={props.onSelect} />
              </td>
              <td class="nodes__name">
                <div class="nodes__cell">
                  <Opener node={node} hrefOf={props.hrefOf} onDownload={props.onDownload} class="nodes__open">
                    <NodeIcon node={node} />
                    <span class="nodes__label">
                      <span class="nodes__title">{node.name}</span>
                      <span class="nodes__sub">
                        {detail(node)} · {formatDay(lang, node.created_at)}
                      </span>
                    </span>
                  </Opener>
                  {!canWrite(node) && <span class="badge badge--muted">{t("drive.read_only")}</span>}
                </div>
              </td>
              <td class="nodes__created">{formatDay(lang, node.created_at)}</td>
              <td class="nodes__size">{detail(node)}</td>
              <td class="nodes__menu">
                <ItemMenu node={node} actionsFor={props.actionsFor} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Preview({ node }: { node: DriveNode }): JSX.Element {
  const { t } = useI18n();
  const { thumbnail } = node;
  const ready = useThumbnail(node);
  if (ready) {
    return <img class="tile__image" src={ready.url} alt="" loading="lazy" decoding="async" onError={ready.fail} />;
  }
  return (
    <>
      <KindIcon category={fileCategory(node)} size={40} />
      {thumbnail.status === "pending" && node.status === "ready" && (
        <span class="tile__pending">
          <span class="spinner" aria-hidden="true" /> {t("drive.thumbnail_pending")}
        </span>
      )}
    </>
  );
}

export function ItemGrid(props: ItemsProps): JSX.Element {
  const { t } = useI18n();
  const detail = useDetail();
  return (
    <ul class="tiles">
      {props.items.map((node) => {
        const selected = props.selected.has(node.id);
        return (
          <li
            key={node.id}
            class={`tile${selected ? " is-selected" : ""}${node.kind === "folder" ? " tile--folder" : ""}`}
          >
            <Opener node={node} hrefOf={props.hrefOf} onDownload={props.onDownload} class="tile__open">
              <span class="tile__media">
                <Preview node={node} />
              </span>
              <span class="tile__body">
                <span class="tile__name">{node.name}</span>
                <span class="tile__meta">
                  {detail(node)}
                  {!canWrite(node) && ` · ${t("drive.read_only")}`}
                </span>
              </span>
            </Opener>
            <span class="tile__check">
              <Check node={node} selected={selected} onSelect={props.onSelect} />
            </span>
            <span class="tile__menu">
              <ItemMenu node={node} actionsFor={props.actionsFor} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}
