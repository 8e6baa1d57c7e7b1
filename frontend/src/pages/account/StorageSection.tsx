// How much space the account uses: a bar of what is used of the quota, and a ring of what
// kinds of files take it, drawn in SVG with a legend that is also its text alternative.
import type { JSX } from "preact";
import type { UsageStats, UsageType, User } from "../../api";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Working } from "../../components/Working";
import { formatBytes, useI18n, type MessageKey } from "../../i18n";
import type { Loaded } from "../../loaded";
import { percentLabel, usageSlices, usedPercent } from "../../usage";

const TYPE_LABELS: Record<UsageType, MessageKey> = {
  image: "account.type_image",
  video: "account.type_video",
  audio: "account.type_audio",
  document: "account.type_document",
  archive: "account.type_archive",
  other: "account.type_other",
};

/** `loaded` is the account's usage, read by the page (again after something frees space). */
export function StorageSection({ user, loaded }: { user: User; loaded: Loaded<UsageStats> }): JSX.Element {
  const { t, lang } = useI18n();
  const stats = loaded.status === "ready" ? loaded.value : null;

  const quota = stats?.quota_bytes ?? user.storage.quota_bytes;
  const used = stats?.used_bytes ?? user.storage.used_bytes;
  const percent = usedPercent(used, quota);
  const free = stats?.free_bytes ?? Math.max(0, quota - used);
  const number = new Intl.NumberFormat(lang);
  const slices = stats ? usageSlices(stats) : [];
  const files = (count: number): string =>
    count === 1 ? t("account.type_files_one") : t("account.type_files", { count: number.format(count) });
  const filled = Math.max(percent, used > 0 ? 1 : 0);
  // Uploads in progress hold their space before it is used: drawn after it, hatched.
  const reserved = stats?.reserved_bytes ?? 0;
  const heldPercent = quota > 0 && reserved > 0 ? Math.max(1, Math.min(100 - filled, (reserved / quota) * 100)) : 0;
  const shownPercent = percentLabel(quota > 0 ? (used / quota) * 100 : percent);
  const summary = slices
    .map((slice) => `${t(TYPE_LABELS[slice.type])} ${formatBytes(lang, slice.bytes)} (${percentLabel(slice.percent)}%)`)
    .join(", ");

  return (
    <section class="card" aria-labelledby="storage-title">
      <h2 id="storage-title" class="card__title">
        {t("account.storage")}
      </h2>
      <div class="storage">
        <p class="storage__numbers">
          <strong>{t("account.storage_used", { used: formatBytes(lang, used), quota: formatBytes(lang, quota) })}</strong>
          <span class="muted">
            {t("account.storage_percent", { percent: shownPercent })} ·{" "}
            {t("account.storage_free", { free: formatBytes(lang, free) })}
          </span>
        </p>
        <div
          class={`meter${percent >= 90 ? " meter--full" : ""}`}
          role="meter"
          aria-label={t("account.storage_bar", { used: formatBytes(lang, used), quota: formatBytes(lang, quota) })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={t("account.storage_percent", { percent: shownPercent })}
        >
          <span class="meter__fill" style={{ width: `${String(filled)}%` }} />
          {heldPercent > 0 && <span class="meter__held" style={{ width: `${String(heldPercent)}%` }} />}
        </div>
        {reserved > 0 && (
          <p class="muted small">
            <span class="legend__swatch meter__held" aria-hidden="true" />
            {t("account.storage_reserved", { size: formatBytes(lang, reserved) })}{" "}
            <a href="#inflight-title">{t("account.storage_reserved_link")}</a>
          </p>
        )}
        {stats !== null && stats.trash_bytes > 0 && (
          <p class="muted small">{t("account.storage_trash", { size: formatBytes(lang, stats.trash_bytes) })}</p>
        )}
      </div>
      <ErrorNotice error={loaded.status === "failed" ? loaded.error : null} />
      {loaded.status === "loading" && <Working>{t("account.stats_loading")}</Working>}
      {stats !== null && (
        <div class="usage-chart">
          <h3 class="dialog__subtitle">{t("account.by_type")}</h3>
          {slices.length === 0 ? (
            <p class="muted">{t("account.no_files")}</p>
          ) : (
            <div class="usage-chart__body">
              <svg
                class="ring"
                viewBox="0 0 42 42"
                width="160"
                height="160"
                role="img"
                aria-label={t("account.chart_label", { summary })}
              >
                <circle class="ring__track" cx="21" cy="21" r="15.9155" />
                {slices.map((slice) => (
                  <circle
                    key={slice.type}
                    class={`ring__slice ring__slice--${slice.type}`}
                    cx="21"
                    cy="21"
                    r="15.9155"
                    stroke-dasharray={`${String(slice.percent)} ${String(100 - slice.percent)}`}
                    stroke-dashoffset={String(25 - slice.offset)}
                  />
                ))}
                <text class="ring__total" x="21" y="20.5" text-anchor="middle">
                  {formatBytes(lang, stats.used_bytes)}
                </text>
                <text class="ring__caption" x="21" y="26" text-anchor="middle">
                  {files(stats.file_count)}
                </text>
              </svg>
              <table class="legend">
                <caption class="visually-hidden">{t("account.by_type")}</caption>
                <tbody>
                  {slices.map((slice) => (
                    <tr key={slice.type}>
                      <th scope="row">
                        <span class={`legend__swatch ring__slice--${slice.type}`} aria-hidden="true" />
                        {t(TYPE_LABELS[slice.type])}
                      </th>
                      <td>{formatBytes(lang, slice.bytes)}</td>
                      <td class="muted">{files(slice.count)}</td>
                      <td class="legend__percent">{percentLabel(slice.percent)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
