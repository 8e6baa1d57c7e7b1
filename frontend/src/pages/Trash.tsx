// The trash: what was deleted, newest first. Restore puts an item back where it was; delete
// forever and empty trash free the space for good, after a confirmation.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type DriveNode, type User } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { LoadMore } from "../components/LoadMore";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { Working } from "../components/Working";
import { useAction } from "../form";
import { formatBytes, formatDay, useI18n } from "../i18n";
import { Link } from "../router";
import { folderHref } from "./drive/Breadcrumbs";
import { DriveBar } from "./drive/DriveBar";
import { Empty } from "./drive/Empty";
import { Icon, NodeIcon } from "./drive/Icon";
import { usePaged } from "./drive/usePaged";

type Confirm = { kind: "empty" } | { kind: "delete"; node: DriveNode } | null;
type Done = { kind: "restored"; node: DriveNode } | { kind: "deleted"; name: string } | { kind: "emptied" } | null;

export function Trash({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
  const list = usePaged("trash", (cursor) => api.trash({ cursor }));
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [done, setDone] = useState<Done>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const restore = useAction();
  const destroy = useAction();
  const rootId = user.storage.root_folder_id;

  const restoreOne = async (node: DriveNode): Promise<void> => {
    setRestoring(node.id);
    setDone(null);
    const result = await restore.run(() => api.restore(node.id));
    setRestoring(null);
    if (!result.ok) return;
    list.remove(node.id);
    setDone({ kind: "restored", node: result.value });
  };

  const confirmed = async (): Promise<void> => {
    if (!confirm) return;
    const target = confirm;
    const result = await destroy.run(() =>
      target.kind === "empty" ? api.emptyTrash() : api.deleteForever(target.node.id),
    );
    if (!result.ok) return;
    setConfirm(null);
    if (target.kind === "empty") {
      list.clear();
      setDone({ kind: "emptied" });
    } else {
      list.remove(target.node.id);
      setDone({ kind: "deleted", name: target.node.name });
    }
  };

  const empty = list.status === "ready" && list.items.length === 0;
  return (
    <div class="drive">
      <DriveBar current="trash" />
      <Page
        width="full"
        title={t("trash.title")}
        intro={t("trash.intro")}
        aside={
          <Button
            variant="danger"
            disabled={list.status !== "ready" || empty}
            onClick={() => {
              destroy.setError(null);
              setConfirm({ kind: "empty" });
            }}
          >
            <Icon name="trash" />
            {t("trash.empty_trash")}
          </Button>
        }
      >
        {done?.kind === "restored" && (
          <Notice kind="success">
            <span class="notice__row">
              <span>{t("trash.restored", { name: done.node.name })}</span>
              <Link href={folderHref(done.node.parent_id ?? rootId, rootId)}>{t("trash.show_restored")}</Link>
            </span>
          </Notice>
        )}
        {done?.kind === "deleted" && <Notice kind="success">{t("trash.deleted", { name: done.name })}</Notice>}
        {done?.kind === "emptied" && <Notice kind="success">{t("trash.emptied")}</Notice>}
        <ErrorNotice error={restore.error} />
        <ErrorNotice error={list.error} />

        {list.status === "loading" && <Working>{t("drive.loading")}</Working>}
        {empty && <Empty icon="trash" title={t("trash.empty")} />}
        {list.items.length > 0 && (
          <ul class="rows">
            {list.items.map((node) => (
              <li key={node.id} class="row">
                <NodeIcon node={node} />
                <span class="row__label">
                  <span class="row__title">{node.name}</span>
                  <span class="row__sub">
                    {node.kind === "folder" ? t("drive.folder") : formatBytes(lang, node.size)}
                    {node.trashed_at && ` · ${t("trash.col_trashed")} ${formatDay(lang, node.trashed_at)}`}
                  </span>
                </span>
                <span class="row__actions">
                  <Button
                    label={t("trash.restore_name", { name: node.name })}
                    variant="secondary"
                    busy={restoring === node.id}
                    disabled={restore.busy}
                    onClick={() => void restoreOne(node)}
                  >
                    {t("trash.restore")}
                  </Button>
                  <Button
                    label={t("trash.delete_forever_name", { name: node.name })}
                    variant="link"
                    onClick={() => {
                      destroy.setError(null);
                      setConfirm({ kind: "delete", node });
                    }}
                  >
                    {t("trash.delete_forever")}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        )}
        {list.cursor !== null && <LoadMore onMore={list.more} />}
      </Page>
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm?.kind === "delete"
            ? t("trash.confirm_delete_title", { name: confirm.node.name })
            : t("trash.confirm_empty_title")
        }
        text={confirm?.kind === "delete" ? t("trash.confirm_delete_text") : t("trash.confirm_empty_text")}
        confirmLabel={confirm?.kind === "delete" ? t("trash.delete_forever") : t("trash.empty_trash")}
        busy={destroy.busy}
        error={destroy.error}
        onConfirm={() => void confirmed()}
        onClose={() => {
          setConfirm(null);
        }}
      />
    </div>
  );
}
