// On the drive's first page: what team members are uploading into it right now, since each
// upload holds its size of the owner's storage until it finishes, with the way to see and
// cancel them on the account page.
import type { JSX } from "preact";
import { api, type User } from "../../api";
import { Notice } from "../../components/Notice";
import { formatBytes, useI18n } from "../../i18n";
import { othersUploading, readInflight } from "../../inflight";
import { useLoaded } from "../../loaded";
import { Link } from "../../router";
import { personName } from "../../teams";

export function MembersUploading({ user }: { user: User }): JSX.Element | null {
  const { t, lang } = useI18n();
  const [loaded] = useLoaded(() => readInflight(api), [user.id]);
  // A list that cannot be read leaves the drive as it is: the account page says why.
  if (loaded.status !== "ready") return null;
  const others = othersUploading(loaded.value, user.id);
  if (others === null) return null;
  const size = formatBytes(lang, others.bytes);
  const only = others.only;
  return (
    <Notice kind="info">
      <span class="notice__row">
        <span>
          {only !== null
            ? t("inflight.drive_one", {
                name: personName(only.uploaded_by) ?? t("inflight.former"),
                file: only.name,
                size,
              })
            : t("inflight.drive_many", { count: `${String(others.count)}${others.more ? "+" : ""}`, size })}
        </span>
        <Link href="/account">{t("inflight.drive_see")}</Link>
      </span>
    </Notice>
  );
}
