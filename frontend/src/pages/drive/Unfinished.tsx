// Uploads that a reload or a closed tab interrupted: pick the same file again to send only
// what S3 does not hold yet, or discard the upload (its parts are deleted, its space freed).
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { Button } from "../../components/Button";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Notice } from "../../components/Notice";
import { useAction } from "../../form";
import { formatBytes, useI18n } from "../../i18n";
import { sameFile, type UnfinishedUpload } from "../../resume";
import { useUploads } from "../../upload-context";
import type { Uploader } from "../../uploads";

export function Unfinished({ uploader }: { uploader: Uploader }): JSX.Element | null {
  const { t, lang } = useI18n();
  useUploads(uploader); // redraw as uploads start and finish
  const entries = uploader.unfinished();
  const input = useRef<HTMLInputElement>(null);
  const [resuming, setResuming] = useState<UnfinishedUpload | null>(null);
  const [wrong, setWrong] = useState<UnfinishedUpload | null>(null);
  const discarding = useAction();
  if (entries.length === 0) return null;

  const picked = (): void => {
    const file = input.current?.files?.[0];
    if (input.current) input.current.value = "";
    if (!file || !resuming) return;
    if (!sameFile(resuming, resuming.parent_id, file)) {
      setWrong(resuming);
      return;
    }
    setWrong(null);
    uploader.add([{ file, parentId: resuming.parent_id }]);
  };

  return (
    <section class="card unfinished" aria-labelledby="unfinished-title">
      <h2 id="unfinished-title" class="card__title">
        {t("unfinished.title")}
      </h2>
      <p class="muted">{t("unfinished.text")}</p>
      <ul class="unfinished__list">
        {entries.map((entry) => (
          <li key={entry.upload_id} class="unfinished__item">
            <span class="unfinished__name">
              <strong>{entry.name}</strong>
              <span class="muted"> · {formatBytes(lang, entry.size)}</span>
            </span>
            <span class="unfinished__actions">
              <Button
                label={t("unfinished.resume_name", { name: entry.name })}
                variant="secondary"
                onClick={() => {
                  setResuming(entry);
                  input.current?.click();
                }}
              >
                {t("unfinished.resume")}
              </Button>
              <Button
                label={t("unfinished.discard_name", { name: entry.name })}
                variant="link"
                disabled={discarding.busy}
                onClick={() => void discarding.run(() => uploader.discard(entry))}
              >
                {t("unfinished.discard")}
              </Button>
            </span>
          </li>
        ))}
      </ul>
      {wrong && (
        <Notice kind="error">
          {t("unfinished.wrong_file", { name: wrong.name, size: formatBytes(lang, wrong.size) })}
        </Notice>
      )}
      <ErrorNotice error={discarding.error} />
      <input ref={input} type="file" hidden onChange={picked} />
    </section>
  );
}
