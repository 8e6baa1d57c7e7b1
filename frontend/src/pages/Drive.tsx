// The drive: one folder at a time, with its breadcrumbs, its items as a list or a grid,
// selection, and everything one does to files: new folder, upload (buttons or dropping files
// and folders on the page), rename, move, trash, download.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Crumb, type DriveNode, type Sort, type User } from "../api";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { LoadMore } from "../components/LoadMore";
import type { MenuItem } from "../components/Menu";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { Working } from "../components/Working";
import { canWrite, clickSelection, parseSort } from "../drive";
import { entriesOf, makeFolders, pickedTree, walkEntries, type DroppedTree } from "../dropped";
import { useAction } from "../form";
import { useI18n, type MessageKey } from "../i18n";
import { navigate, useLocation } from "../router";
import { useUploader } from "../upload-context";
import { Breadcrumbs, folderHref } from "./drive/Breadcrumbs";
import { DriveBar } from "./drive/DriveBar";
import { Empty } from "./drive/Empty";
import { Icon } from "./drive/Icon";
import { ItemGrid, ItemList, SelectAll, type ItemsProps } from "./drive/Items";
import { MembersUploading } from "./drive/MembersUploading";
import { MoveDialog } from "./drive/MoveDialog";
import { NameDialog } from "./drive/NameDialog";
import { ShareDialog } from "./drive/ShareDialog";
import { Unfinished } from "./drive/Unfinished";
import { useFolder } from "./drive/useFolder";

type View = "grid" | "list";
const VIEW_KEY = "teamdrive.view";

function storedView(): View {
  try {
    return localStorage.getItem(VIEW_KEY) === "list" ? "list" : "grid";
  } catch {
    return "grid";
  }
}

const SORT_LABELS: Record<Sort, MessageKey> = {
  name: "drive.sort_name",
  "-name": "drive.sort_name_desc",
  created: "drive.sort_created",
  "-created": "drive.sort_created_desc",
  size: "drive.sort_size",
  "-size": "drive.sort_size_desc",
};

type Dialog =
  | { kind: "new" }
  | { kind: "rename"; node: DriveNode }
  | { kind: "move"; nodes: DriveNode[] }
  | { kind: "share"; node: DriveNode }
  | null;

interface Done {
  text: string;
  undo?: () => Promise<void>;
}

export function Drive({ user, folderId }: { user: User; folderId: string | null }): JSX.Element {
  const { t } = useI18n();
  const location = useLocation();
  const uploader = useUploader();
  const rootId = user.storage.root_folder_id;
  const id = folderId ?? rootId;
  const sort = parseSort(location.query.get("sort"));
  const sortQuery = sort === "name" ? "" : `?sort=${sort}`;
  const folder = useFolder(id, sort);
  const [view, setView] = useState<View>(storedView);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const anchor = useRef<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [dragging, setDragging] = useState(false);
  const bulk = useAction();
  const sending = useAction();
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setSelected(new Set());
    anchor.current = null;
    setDone(null);
    bulk.setError(null);
    // A new folder starts with nothing selected and no old news.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const { put } = folder;
  useEffect(() => {
    if (!uploader) return;
    return uploader.onUploaded((node) => {
      if (node.parent_id === id) put(node);
    });
  }, [uploader, id, put]);

  const here = folder.folder;
  const writable = here !== null && canWrite(here);
  const title = here === null || here.id === rootId || here.name === "" ? t("drive.title") : here.name;
  const items = folder.items;
  const chosen = items.filter((node) => selected.has(node.id));

  const setSort = (next: Sort): void => {
    navigate(`${location.path}${next === "name" ? "" : `?sort=${next}`}`, { replace: true });
  };
  const chooseView = (next: View): void => {
    setView(next);
    try {
      localStorage.setItem(VIEW_KEY, next);
    } catch {
      // Remembered for this visit only.
    }
  };

  const select = (nodeId: string, shift: boolean): void => {
    const order = items.filter(canWrite).map((node) => node.id);
    setSelected((old) => clickSelection(old, order, nodeId, { shift, anchor: anchor.current }));
    anchor.current = nodeId;
  };
  const selectAll = (all: boolean): void => {
    setSelected(all ? new Set(items.filter(canWrite).map((node) => node.id)) : new Set());
  };

  const download = (node: DriveNode): void => {
    void bulk.run(async () => {
      const link = await api.downloadLink(node.id);
      window.location.assign(link.url);
    });
  };

  const trash = async (nodes: DriveNode[]): Promise<void> => {
    setDone(null);
    const result = await bulk.run(async () => {
      const gone: DriveNode[] = [];
      try {
        for (const node of nodes) {
          await api.trashNode(node.id);
          gone.push(node);
        }
      } finally {
        folder.remove(gone.map((node) => node.id));
        setSelected((old) => new Set([...old].filter((each) => !gone.some((node) => node.id === each))));
      }
      return gone;
    });
    if (!result.ok) return;
    const gone = result.value;
    setDone({
      text:
        gone.length === 1 && gone[0]
          ? t("drive.trashed_one", { name: gone[0].name })
          : t("drive.trashed_many", { count: gone.length }),
      undo: async () => {
        for (const node of gone) put(await api.restore(node.id));
      },
    });
  };

  const move = async (nodes: DriveNode[], target: Crumb): Promise<void> => {
    const moved: DriveNode[] = [];
    try {
      for (const node of nodes) {
        await api.updateNode(node.id, { parent_id: target.id });
        moved.push(node);
      }
    } finally {
      folder.remove(moved.map((node) => node.id));
      setSelected(new Set());
    }
    setDone({
      text:
        moved.length === 1 && moved[0]
          ? t("drive.moved_one", { name: moved[0].name, folder: target.name })
          : t("drive.moved_many", { count: moved.length, folder: target.name }),
      undo: async () => {
        for (const node of moved) put(await api.updateNode(node.id, { parent_id: node.parent_id ?? id }));
      },
    });
  };

  const actionsFor = (node: DriveNode): MenuItem[] => {
    const actions: MenuItem[] = [];
    if (node.kind === "folder") {
      actions.push({
        label: t("drive.open"),
        onSelect: () => {
          navigate(folderHref(node.id, rootId, sortQuery));
        },
      });
    } else if (node.status === "ready") {
      actions.push({
        label: t("drive.download"),
        onSelect: () => {
          download(node);
        },
      });
    }
    if (canWrite(node)) {
      actions.push(
        {
          label: t("drive.rename"),
          onSelect: () => {
            setDialog({ kind: "rename", node });
          },
        },
        {
          label: t("drive.move"),
          onSelect: () => {
            setDialog({ kind: "move", nodes: [node] });
          },
        },
      );
      if (node.status !== "uploading") {
        actions.push({
          label: t("share.action"),
          onSelect: () => {
            setDialog({ kind: "share", node });
          },
        });
        actions.push({ label: t("drive.move_to_trash"), danger: true, onSelect: () => void trash([node]) });
      }
    }
    return actions;
  };

  /** Makes the folders of what was dropped or picked, then queues its files into them. */
  const send = async (tree: DroppedTree): Promise<void> => {
    if (!uploader || !here) return;
    const parentId = here.id;
    const result = await sending.run(() => makeFolders(api, parentId, tree.folders));
    if (!result.ok) return;
    if (tree.folders.length > 0) folder.reload();
    uploader.add(
      tree.files.map(({ file, dirs }) => ({
        file,
        parentId: result.value.get(dirs.join("/")) ?? parentId,
        path: [...dirs, file.name].join("/"),
      })),
    );
  };

  const onPicked = (input: HTMLInputElement | null): void => {
    if (!input?.files) return;
    const tree = pickedTree(Array.from(input.files));
    input.value = "";
    void send(tree);
  };

  const dropProps =
    writable && uploader
      ? {
          onDragEnter: (event: DragEvent) => {
            if (event.dataTransfer?.types.includes("Files")) {
              event.preventDefault();
              setDragging(true);
            }
          },
          onDragOver: (event: DragEvent) => {
            if (event.dataTransfer?.types.includes("Files")) {
              event.preventDefault();
              event.dataTransfer.dropEffect = "copy";
            }
          },
          onDragLeave: (event: DragEvent) => {
            const target = event.currentTarget as HTMLElement;
            if (!target.contains(event.relatedTarget as Node | null)) setDragging(false);
          },
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            setDragging(false);
            if (!event.dataTransfer) return;
            const { entries, files } = entriesOf(event.dataTransfer);
            const tree: Promise<DroppedTree> =
              entries.length > 0
                ? walkEntries(entries)
                : Promise.resolve({ files: files.map((file) => ({ file, dirs: [] })), folders: [] });
            void tree.then(send, (error: unknown) => {
              sending.setError(error);
            });
          },
        }
      : {};

  const failed = folder.status === "failed";
  const missing = failed && folder.error instanceof ApiError && folder.error.status === 404;
  // What the grid and the list both show.
  const shown: ItemsProps = {
    items,
    selected,
    onSelect: select,
    onSelectAll: selectAll,
    actionsFor,
    onDownload: download,
    hrefOf: (node) => folderHref(node.id, rootId, sortQuery),
  };

  return (
    <div class={`drive${dragging ? " is-dragging" : ""}`} {...dropProps}>
      <DriveBar current="drive" />
      <Page
        key={id}
        width="full"
        title={failed ? t("drive.title") : title}
        lead={<Breadcrumbs path={folder.path} rootId={rootId} query={sortQuery} />}
      >
        {uploader && <Unfinished uploader={uploader} />}
        {here && !writable && <Notice kind="info">{t("drive.read_only_folder")}</Notice>}
        {id === rootId && <MembersUploading user={user} />}

        {here && (
          <div class="toolbar">
            {chosen.length > 0 ? (
              <div
                class="toolbar__group selection"
                role="group"
                aria-label={t("drive.selected", { count: chosen.length })}
              >
                <span class="selection__count" aria-live="polite">
                  {t("drive.selected", { count: chosen.length })}
                </span>
                <Button
                  variant="secondary"
                  disabled={bulk.busy}
                  onClick={() => {
                    setDialog({ kind: "move", nodes: chosen });
                  }}
                >
                  {t("drive.move")}
                </Button>
                {chosen.length === 1 && chosen[0]?.status === "ready" && (
                  <Button
                    variant="secondary"
                    disabled={bulk.busy}
                    onClick={() => {
                      if (chosen[0]) setDialog({ kind: "share", node: chosen[0] });
                    }}
                  >
                    <Icon name="link" />
                    {t("share.action")}
                  </Button>
                )}
                <Button variant="danger" busy={bulk.busy} onClick={() => void trash(chosen)}>
                  {t("drive.move_to_trash")}
                </Button>
                <Button
                  variant="link"
                  onClick={() => {
                    setSelected(new Set());
                  }}
                >
                  {t("drive.clear_selection")}
                </Button>
              </div>
            ) : (
              <div class="toolbar__group">
                {writable && (
                  <>
                    <Button onClick={() => fileInput.current?.click()} busy={sending.busy} disabled={!uploader}>
                      <Icon name="upload" />
                      {t("drive.upload_files")}
                    </Button>
                    <Button
                      variant="secondary"
                      onClick={() => {
                        setDialog({ kind: "new" });
                      }}
                    >
                      <Icon name="folderPlus" />
                      {t("drive.new_folder")}
                    </Button>
                    <Button
                      variant="secondary"
                      onClick={() => folderInput.current?.click()}
                      disabled={!uploader || sending.busy}
                    >
                      <Icon name="folder" />
                      {t("drive.upload_folder")}
                    </Button>
                  </>
                )}
              </div>
            )}
            <div class="toolbar__group toolbar__group--end">
              {view === "grid" && <SelectAll items={items} selected={selected} onSelectAll={selectAll} labelled />}
              <label class="visually-hidden" for="drive-sort">
                {t("drive.sort")}
              </label>
              <select
                id="drive-sort"
                class="select"
                value={sort}
                onChange={(event) => {
                  setSort(parseSort(event.currentTarget.value));
                }}
              >
                {(Object.keys(SORT_LABELS) as Sort[]).map((each) => (
                  <option key={each} value={each}>
                    {t(SORT_LABELS[each])}
                  </option>
                ))}
              </select>
              <div class="segmented" role="group" aria-label={t("drive.view")}>
                {(["grid", "list"] as const).map((choice) => (
                  <button
                    key={choice}
                    type="button"
                    class="segmented__button"
                    aria-pressed={view === choice}
                    onClick={() => {
                      chooseView(choice);
                    }}
                  >
                    <Icon name={choice} size={18} />
                    <span class="visually-hidden">{t(choice === "grid" ? "drive.view_grid" : "drive.view_list")}</span>
                  </button>
                ))}
              </div>
            </div>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              onChange={() => {
                onPicked(fileInput.current);
              }}
            />
            <input
              ref={folderInput}
              type="file"
              multiple
              hidden
              {...{ webkitdirectory: true }}
              onChange={() => {
                onPicked(folderInput.current);
              }}
            />
          </div>
        )}

        {sending.busy && <Working>{t("drive.making_folders")}</Working>}
        {bulk.busy && <Working>{t("drive.working")}</Working>}
        <ErrorNotice error={sending.error} />
        <ErrorNotice error={bulk.error} />
        {done && (
          <DoneNotice
            done={done}
            onDismiss={() => {
              setDone(null);
            }}
          />
        )}

        {folder.status === "loading" && here === null && <Working>{t("drive.loading")}</Working>}
        {failed && (
          <div class="stack">
            {missing ? <Notice kind="error">{t("drive.not_found")}</Notice> : <ErrorNotice error={folder.error} />}
            <div class="actions">
              {!missing && (
                <Button variant="secondary" onClick={folder.reload}>
                  {t("drive.retry")}
                </Button>
              )}
              <Button
                variant="secondary"
                onClick={() => {
                  navigate("/drive");
                }}
              >
                {t("drive.to_root")}
              </Button>
            </div>
          </div>
        )}

        {here && items.length === 0 && folder.status === "ready" && (
          <Empty icon="folder" title={t("drive.empty")}>
            {writable && <p class="muted">{t("drive.empty_hint")}</p>}
          </Empty>
        )}

        {here &&
          items.length > 0 &&
          (view === "grid" ? (
            <ItemGrid {...shown} />
          ) : (
            <ItemList
              {...shown}
              sort={sort}
              onSort={setSort}
            />
          ))}

        {folder.cursor !== null && <LoadMore onMore={folder.more} />}
      </Page>

      {dragging && here && (
        <div class="drop-hint" aria-hidden="true">
          <Icon name="upload" size={32} />
          {t("drive.drop_here", { folder: title })}
        </div>
      )}

      <NameDialog
        open={dialog?.kind === "new" || dialog?.kind === "rename"}
        node={dialog?.kind === "rename" ? dialog.node : null}
        onClose={() => {
          setDialog(null);
        }}
        onSubmit={async (name) => {
          if (dialog?.kind === "rename") put(await api.updateNode(dialog.node.id, { name }));
          else if (here) put(await api.createFolder(here.id, name));
        }}
      />
      <ShareDialog
        node={dialog?.kind === "share" ? dialog.node : null}
        onClose={() => {
          setDialog(null);
        }}
      />
      <MoveDialog
        open={dialog?.kind === "move"}
        nodes={dialog?.kind === "move" ? dialog.nodes : []}
        startId={id}
        onClose={() => {
          setDialog(null);
        }}
        onMove={(target) => move(dialog?.kind === "move" ? dialog.nodes : [], target)}
      />
    </div>
  );
}

function DoneNotice({ done, onDismiss }: { done: Done; onDismiss: () => void }): JSX.Element {
  const { t } = useI18n();
  const undoing = useAction();
  const undo = done.undo;
  return (
    <div class="stack">
      <Notice kind="success">
        <span class="notice__row">
          <span>{done.text}</span>
          <span class="notice__actions">
            {undo && (
              <Button
                variant="link"
                busy={undoing.busy}
                onClick={() =>
                  void undoing.run(undo).then((result) => {
                    if (result.ok) onDismiss();
                  })
                }
              >
                {t("drive.undo")}
              </Button>
            )}
            <Button variant="link" onClick={onDismiss}>
              {t("drive.dismiss")}
            </Button>
          </span>
        </span>
      </Notice>
      <ErrorNotice error={undoing.error} />
    </div>
  );
}
