// The folders shared with a team: each opens in the drive. A member shares one of their own
// folders (picked with the drive's folder picker) to view or to edit; the sharer or the
// leader stops a share after a confirmation.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type FolderAccess, type SharedFolder } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useAction } from "../../form";
import { formatDay, useI18n } from "../../i18n";
import { canUnshare, personName, type TeamSectionProps } from "../../teams";
import { FolderPickerDialog } from "../drive/FolderPicker";
import { Icon } from "../drive/Icon";
import { SharedFolderRow } from "./SharedFolderRow";

export function SharedFolders({ detail, user, onChanged }: TeamSectionProps): JSX.Element {
  const { t, lang } = useI18n();
  const [picking, setPicking] = useState(false);
  const [stopping, setStopping] = useState<SharedFolder | null>(null);
  const unsharing = useAction();
  const rootId = user.storage.root_folder_id;
  const teamId = detail.team.id;

  const unshare = async (): Promise<void> => {
    if (!stopping) return;
    const folder = stopping;
    const result = await unsharing.run(() => api.unshareFolder(teamId, folder.folder_id));
    if (!result.ok) return;
    setStopping(null);
    onChanged(t("team.unshared", { name: folder.name }));
  };

  return (
    <section class="card" aria-labelledby="folders-title">
      <div class="card__head">
        <h2 id="folders-title" class="card__title">
          {t("team.folders")} <span class="count">{detail.shared_folders.length}</span>
        </h2>
        <Button
          variant="secondary"
          onClick={() => {
            setPicking(true);
          }}
        >
          <Icon name="shared" />
          {t("team.share_folder")}
        </Button>
      </div>
      {detail.shared_folders.length === 0 ? (
        <p class="muted">{t("team.folders_none")}</p>
      ) : (
        <ul class="people">
          {detail.shared_folders.map((folder) => {
            const by = personName(folder.shared_by) ?? t("team.closed_account");
            return (
              <SharedFolderRow
                key={folder.folder_id}
                class="person"
                folder={folder}
                rootId={rootId}
                sub={
                  <>
                    {folder.owner_id === user.id ? t("team.you") : t("team.shared_by", { name: by })} ·{" "}
                    {formatDay(lang, folder.shared_at)}
                  </>
                }
              >
                {canUnshare(detail, folder, user.id) && (
                  <Button
                    variant="link"
                    label={t("team.unshare_name", { name: folder.name })}
                    onClick={() => {
                      unsharing.setError(null);
                      setStopping(folder);
                    }}
                  >
                    {t("team.unshare")}
                  </Button>
                )}
              </SharedFolderRow>
            );
          })}
        </ul>
      )}
      <ShareFolderDialog
        open={picking}
        teamName={detail.team.name}
        rootId={rootId}
        onClose={() => {
          setPicking(false);
        }}
        onShare={async (folderId, name, access) => {
          await api.shareFolder(teamId, folderId, access);
          onChanged(t("team.shared", { name }));
        }}
      />
      <ConfirmDialog
        open={stopping !== null}
        title={t("team.confirm_unshare_title", { name: stopping?.name ?? "" })}
        text={t("team.confirm_unshare_text")}
        confirmLabel={t("team.unshare")}
        busy={unsharing.busy}
        error={unsharing.error}
        onConfirm={() => void unshare()}
        onClose={() => {
          setStopping(null);
        }}
      />
    </section>
  );
}

function ShareFolderDialog({
  open,
  teamName,
  rootId,
  onShare,
  onClose,
}: {
  open: boolean;
  teamName: string;
  rootId: string;
  onShare: (folderId: string, name: string, access: FolderAccess) => Promise<void>;
  onClose: () => void;
}): JSX.Element {
  const { t } = useI18n();
  const [access, setAccess] = useState<FolderAccess>("read");
  return (
    <FolderPickerDialog
      open={open}
      title={t("team.share_title", { team: teamName })}
      startId={rootId}
      confirm={(browsed) => {
        const atRoot = browsed.folder.id === rootId;
        const mine = browsed.folder.access === "owner";
        return {
          label: atRoot ? t("team.share_pick") : t("team.share_here", { name: browsed.folder.name }),
          enabled: !atRoot && mine,
        };
      }}
      onConfirm={(_target, browsed) => onShare(browsed.folder.id, browsed.folder.name, access)}
      onClose={onClose}
    >
      {(browsed) => (
        <>
          {browsed?.folder.id === rootId && <p class="muted">{t("team.share_root")}</p>}
          <fieldset class="choices">
            <legend class="field__label">{t("team.share_access")}</legend>
            {(["read", "write"] as const).map((choice) => (
              <label key={choice} class="choice">
                <input
                  type="radio"
                  name="share-access"
                  value={choice}
                  checked={access === choice}
                  onChange={() => {
                    setAccess(choice);
                  }}
                />
                <span>
                  <span class="choice__title">
                    {choice === "write" ? t("team.access_write") : t("team.access_read")}
                  </span>
                  <span class="choice__hint">
                    {choice === "write" ? t("team.share_write_label") : t("team.share_read_label")}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        </>
      )}
    </FolderPickerDialog>
  );
}
