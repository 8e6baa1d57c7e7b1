// A folder picker in a dialog: it browses the drive one folder at a time (breadcrumbs to go
// back up), and its main button acts on the folder shown. Moving files uses it, and so does
// sharing a folder with a team.
import type { ComponentChildren, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Crumb, type DriveNode } from "../../api";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { DialogActions } from "../../components/DialogActions";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useAction } from "../../form";
import { useI18n } from "../../i18n";
import { Icon } from "./Icon";

export interface Browsed {
  folder: DriveNode;
  path: Crumb[];
  folders: DriveNode[];
  cursor: string | null;
}

export interface FolderPickerProps {
  open: boolean;
  title: string;
  /** Where browsing starts. */
  startId: string;
  /** Folders that cannot be opened (the ones being moved). */
  disabledIds?: ReadonlySet<string>;
  /** The main button's text and whether it may act on the folder shown. */
  confirm: (browsed: Browsed) => { label: string; enabled: boolean };
  onConfirm: (target: Crumb, browsed: Browsed) => Promise<unknown>;
  onClose: () => void;
  /** Shown above the buttons (a choice that goes with the folder, a hint). */
  children?: (browsed: Browsed | null) => ComponentChildren;
}

/** One page of a folder's subfolders; folders come first, so a file means there are no more. */
async function subfolders(id: string, cursor: string | null): Promise<Browsed> {
  const page = await api.folder(id, { sort: "name", cursor, limit: 100 });
  const folders = page.items.filter((item) => item.kind === "folder");
  const more = folders.length === page.items.length ? page.next_cursor : null;
  return { folder: page.folder, path: page.path, folders, cursor: more };
}

export function FolderPickerDialog({
  open,
  title,
  startId,
  disabledIds,
  confirm,
  onConfirm,
  onClose,
  children,
}: FolderPickerProps): JSX.Element {
  const { t } = useI18n();
  const [at, setAt] = useState(startId);
  const [browsed, setBrowsed] = useState<Browsed | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const acting = useAction();
  const paging = useAction();

  useEffect(() => {
    if (open) {
      setAt(startId);
      acting.setError(null);
    }
    // Start again where the picker starts each time the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, startId]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setBrowsed(null);
    setLoadError(null);
    subfolders(at, null).then(
      (result) => {
        if (live) setBrowsed(result);
      },
      (error: unknown) => {
        if (live) setLoadError(error);
      },
    );
    return () => {
      live = false;
    };
  }, [open, at]);

  const here = browsed?.path[browsed.path.length - 1];
  const name = (crumb: Crumb): string => (crumb.name === "" ? t("nav.drive") : crumb.name);
  const button = browsed ? confirm(browsed) : { label: "", enabled: false };

  const close = (): void => {
    if (!acting.busy) onClose();
  };

  const act = async (): Promise<void> => {
    if (!browsed) return;
    const target = browsed.path[browsed.path.length - 1];
    if (!target) return;
    const result = await acting.run(() => onConfirm({ id: target.id, name: name(target) }, browsed));
    if (result.ok) onClose();
  };

  const more = async (): Promise<void> => {
    if (!browsed?.cursor) return;
    const cursor = browsed.cursor;
    const result = await paging.run(() => subfolders(at, cursor));
    if (result.ok) setBrowsed({ ...result.value, folders: [...browsed.folders, ...result.value.folders] });
  };

  return (
    <Dialog open={open} title={title} onClose={close}>
      <div class="stack picker">
        {browsed && (
          <nav aria-label={t("drive.breadcrumbs")}>
            <ol class="crumbs crumbs--small">
              {browsed.path.map((crumb, index) => (
                <li key={crumb.id} class="crumbs__item">
                  {index === browsed.path.length - 1 ? (
                    <span aria-current="location">{name(crumb)}</span>
                  ) : (
                    <button
                      type="button"
                      class="crumbs__button"
                      onClick={() => {
                        setAt(crumb.id);
                      }}
                    >
                      {name(crumb)}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </nav>
        )}
        <div class="picker__list" aria-busy={browsed === null && loadError === null ? "true" : undefined}>
          {browsed === null && loadError === null && (
            <p class="working">
              <span class="spinner" aria-hidden="true" /> {t("drive.loading")}
            </p>
          )}
          <ErrorNotice error={loadError} />
          {browsed?.folders.length === 0 && <p class="muted picker__empty">{t("move.no_folders")}</p>}
          {browsed && browsed.folders.length > 0 && (
            <ul class="picker__folders" aria-label={t("move.folders_in", { folder: here ? name(here) : "" })}>
              {browsed.folders.map((folder) => (
                <li key={folder.id}>
                  <button
                    type="button"
                    class="picker__folder"
                    disabled={disabledIds?.has(folder.id) ?? false}
                    aria-label={t("move.open", { name: folder.name })}
                    onClick={() => {
                      setAt(folder.id);
                    }}
                  >
                    <Icon name="folder" />
                    <span class="picker__name">{folder.name}</span>
                    <Icon name="chevron" size={16} />
                  </button>
                </li>
              ))}
            </ul>
          )}
          {browsed?.cursor && (
            <Button variant="link" busy={paging.busy} onClick={() => void more()}>
              {t("drive.load_more")}
            </Button>
          )}
        </div>
        {children?.(browsed)}
        <DialogActions
          busy={acting.busy}
          error={acting.error}
          onCancel={close}
          onConfirm={() => void act()}
          disabled={!button.enabled}
        >
          {button.label}
        </DialogActions>
      </div>
    </Dialog>
  );
}
