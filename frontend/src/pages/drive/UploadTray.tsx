// The uploads panel in a corner of every signed-in page: overall progress, and each file
// with its own bar and its controls (pause, resume, retry, cancel).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../../errors";
import { formatBytes, useI18n } from "../../i18n";
import { useUploader, useUploads } from "../../upload-context";
import type { UploadItem, Uploader } from "../../uploads";
import { Icon, type IconName } from "./Icon";

function Control({ icon, label, onClick }: { icon: IconName; label: string; onClick: () => void }): JSX.Element {
  return (
    <button type="button" class="icon-button icon-button--small" aria-label={label} title={label} onClick={onClick}>
      <Icon name={icon} size={16} />
    </button>
  );
}

function Row({ item, uploader }: { item: UploadItem; uploader: Uploader }): JSX.Element {
  const { t, lang } = useI18n();
  const sizes = { sent: formatBytes(lang, item.sent), size: formatBytes(lang, item.size) };
  let status: string;
  if (item.state === "done") status = t("uploads.done", { size: sizes.size });
  else if (item.state === "failed") status = describeError(item.error, t, lang);
  else if (item.state === "paused") status = t("uploads.paused", sizes);
  else if (item.state === "waiting") status = t("uploads.waiting");
  else status = t("uploads.sending", sizes);
  return (
    <li class={`upload upload--${item.state}`}>
      <div class="upload__head">
        <span class="upload__name" title={item.name}>
          {item.name}
        </span>
        <span class="upload__controls">
          {item.state === "uploading" && (
            <Control
              icon="pause"
              label={t("uploads.pause_name", { name: item.name })}
              onClick={() => {
                uploader.pause(item.id);
              }}
            />
          )}
          {item.state === "paused" && (
            <Control
              icon="play"
              label={t("uploads.resume_name", { name: item.name })}
              onClick={() => {
                uploader.resume(item.id);
              }}
            />
          )}
          {item.state === "failed" && (
            <Control
              icon="retry"
              label={t("uploads.retry_name", { name: item.name })}
              onClick={() => {
                uploader.retry(item.id);
              }}
            />
          )}
          {item.state !== "done" && (
            <Control
              icon="close"
              label={t("uploads.cancel_name", { name: item.name })}
              onClick={() => {
                uploader.cancel(item.id);
              }}
            />
          )}
        </span>
      </div>
      {item.state !== "done" && item.state !== "failed" && (
        <progress
          class="bar"
          max={100}
          value={item.percent}
          aria-label={t("uploads.progress_of", { name: item.name })}
        />
      )}
      <span class="upload__status" role={item.state === "failed" ? "alert" : undefined}>
        {status}
        {item.state === "uploading" || item.state === "paused" ? ` · ${String(item.percent)}%` : ""}
      </span>
    </li>
  );
}

export function UploadTray(): JSX.Element | null {
  const { t } = useI18n();
  const uploader = useUploader();
  const snapshot = useUploads(uploader);
  const [open, setOpen] = useState(true);
  const failed = snapshot.items.filter((item) => item.state === "failed").length;
  // Open while something is on its way or failed; folded away once all is done.
  const settled = snapshot.active === 0 && failed === 0;
  useEffect(() => {
    setOpen(!settled);
  }, [settled]);
  if (!uploader || snapshot.items.length === 0) return null;
  let summary = snapshot.active > 0 ? t("uploads.active", { count: snapshot.active }) : t("uploads.all_done");
  if (failed > 0) summary += ` · ${t("uploads.some_failed", { count: failed })}`;
  return (
    <section class="tray" aria-labelledby="tray-title">
      <div class="tray__head">
        <div class="tray__heading">
          <h2 id="tray-title" class="tray__title">
            {t("uploads.title")}
          </h2>
          <span class="tray__summary" role="status">
            {summary}
            {snapshot.active > 0 && ` · ${String(snapshot.percent)}%`}
          </span>
        </div>
        <button
          type="button"
          class="icon-button icon-button--small"
          aria-expanded={open}
          aria-controls="tray-body"
          aria-label={open ? t("uploads.hide") : t("uploads.show")}
          onClick={() => {
            setOpen(!open);
          }}
        >
          <span class={`tray__chevron${open ? "" : " is-closed"}`}>
            <Icon name="up" size={16} />
          </span>
        </button>
      </div>
      {snapshot.active > 0 && (
        <progress class="bar bar--overall" max={100} value={snapshot.percent} aria-label={t("uploads.overall")} />
      )}
      <div id="tray-body" hidden={!open}>
        <ul class="tray__list">
          {snapshot.items.map((item) => (
            <Row key={item.id} item={item} uploader={uploader} />
          ))}
        </ul>
        <div class="tray__foot">
          {snapshot.active > 0 ? (
            <button
              type="button"
              class="button button--link"
              onClick={() => {
                uploader.cancelAll();
              }}
            >
              {t("uploads.cancel_all")}
            </button>
          ) : (
            <span />
          )}
          {snapshot.items.some((item) => item.state === "done" || item.state === "failed") && (
            <button
              type="button"
              class="button button--link"
              onClick={() => {
                uploader.clearFinished();
              }}
            >
              {t("uploads.clear")}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
