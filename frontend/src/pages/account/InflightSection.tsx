// The uploads in progress into the signed-in person's drive, theirs and what team members send
// into folders shared with them: who, what, where, how big, since when, and how much storage
// they hold together. Any of them can be cancelled, which frees its space at once.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type UploadInProgress, type UsageStats, type User } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { LoadMore } from "../../components/LoadMore";
import { LoadStatus } from "../../components/LoadStatus";
import { Notice } from "../../components/Notice";
import { useAction } from "../../form";
import { formatAgo, formatBytes, formatDateTime, useI18n, type Translate } from "../../i18n";
import { cancelInflight, heldBytes, moreInflight, readInflight, senderOf, withoutUpload } from "../../inflight";
import { useLoaded } from "../../loaded";
import { Link } from "../../router";
import { folderHref } from "../drive/Breadcrumbs";
import { Icon } from "../drive/Icon";

type Done = { name: string; outcome: "cancelled" | "gone"; size: number } | null;

function senderLabel(upload: UploadInProgress, userId: string, t: Translate): string {
  const sender = senderOf(upload, userId);
  if (sender === "you") return t("inflight.by_you");
  return sender.name === null ? t("inflight.by_former") : t("inflight.by_person", { name: sender.name });
}

function confirmText(upload: UploadInProgress, userId: string, t: Translate, size: string): string {
  const sender = senderOf(upload, userId);
  if (sender === "you") return t("inflight.confirm_text_own", { size });
  return t("inflight.confirm_text", { name: sender.name ?? t("inflight.former"), size });
}

export function InflightSection({
  user,
  stats,
  onCancelled,
}: {
  user: User;
  /** The account's usage as last read, for what the uploads hold together. */
  stats: UsageStats | null;
  /** Called after an upload stopped holding space, so the storage figures are read again. */
  onCancelled: () => void;
}): JSX.Element {
  const { t, lang } = useI18n();
  const [generation, setGeneration] = useState(0);
  const [loaded, setLoaded] = useLoaded(() => readInflight(api), [user.id, generation]);
  const [confirm, setConfirm] = useState<UploadInProgress | null>(null);
  const [done, setDone] = useState<Done>(null);
  const cancel = useAction();
  const rootId = user.storage.root_folder_id;
  const list = loaded.status === "ready" ? loaded.value : null;

  const more = async (): Promise<void> => {
    if (list === null) return;
    const next = await moreInflight(api, list);
    setLoaded({ status: "ready", value: next });
  };

  const confirmed = async (): Promise<void> => {
    if (confirm === null) return;
    const target = confirm;
    const result = await cancel.run(() => cancelInflight(api, target.upload_id));
    if (!result.ok) return;
    setConfirm(null);
    setDone({ name: target.name, outcome: result.value, size: target.size });
    setLoaded((old) =>
      old.status === "ready" ? { status: "ready", value: withoutUpload(old.value, target.upload_id) } : old,
    );
    setGeneration((n) => n + 1); // read the list again: others may have finished meanwhile
    onCancelled();
  };

  // Every upload into the drive holds its size: the account's counter says how much in all,
  // even before every page is listed.
  const held = stats?.reserved_bytes ?? (list !== null && list.cursor === null ? heldBytes(list.items) : null);
  const now = Date.now();

  return (
    <section class="card" aria-labelledby="inflight-title">
      <h2 id="inflight-title" class="card__title">
        {t("inflight.title")}
      </h2>
      <p class="muted">{t("inflight.intro")}</p>
      {done !== null && (
        <Notice kind="success">
          {done.outcome === "cancelled"
            ? t("inflight.cancelled", { name: done.name, size: formatBytes(lang, done.size) })
            : t("inflight.gone", { name: done.name })}
        </Notice>
      )}
      <LoadStatus
        loaded={loaded}
        onRetry={() => {
          setGeneration((n) => n + 1);
        }}
      />
      {list !== null && list.items.length === 0 && <p class="muted">{t("inflight.none")}</p>}
      {list !== null && list.items.length > 0 && (
        <>
          {held !== null && held > 0 && (
            <p class="inflight__total">
              <strong>{t("inflight.held", { size: formatBytes(lang, held) })}</strong>
            </p>
          )}
          <ul class="rows inflight">
            {list.items.map((upload) => (
              <li key={upload.upload_id} class="row">
                <span class="inflight__icon" aria-hidden="true">
                  <Icon name="upload" />
                </span>
                <span class="row__label">
                  <span class="row__title">{upload.name}</span>
                  <span class="row__sub">
                    {formatBytes(lang, upload.size)}
                    {" · "}
                    {upload.parent_id !== null && upload.folder_name !== null ? (
                      <>
                        {t("inflight.into")}{" "}
                        <Link href={folderHref(upload.parent_id, rootId)}>
                          {upload.parent_id === rootId ? t("inflight.my_drive") : upload.folder_name}
                        </Link>
                      </>
                    ) : (
                      t("inflight.folder_gone")
                    )}
                  </span>
                  <span class="row__sub">
                    {senderLabel(upload, user.id, t)}
                    {" · "}
                    <time dateTime={upload.started_at} title={formatDateTime(lang, upload.started_at)}>
                      {t("inflight.started", { ago: formatAgo(lang, upload.started_at, now) })}
                    </time>
                  </span>
                </span>
                <span class="row__actions">
                  <Button
                    variant="secondary"
                    label={t("inflight.cancel_name", { name: upload.name })}
                    onClick={() => {
                      cancel.setError(null);
                      setDone(null);
                      setConfirm(upload);
                    }}
                  >
                    {t("inflight.cancel")}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
          {list.cursor !== null && <LoadMore onMore={more} />}
        </>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={t("inflight.confirm_title", { name: confirm?.name ?? "" })}
        text={confirm === null ? "" : confirmText(confirm, user.id, t, formatBytes(lang, confirm.size))}
        confirmLabel={t("inflight.cancel_confirm")}
        cancelLabel={t("inflight.keep")}
        busy={cancel.busy}
        error={cancel.error}
        onConfirm={() => void confirmed()}
        onClose={() => {
          setConfirm(null);
        }}
      />
    </section>
  );
}
