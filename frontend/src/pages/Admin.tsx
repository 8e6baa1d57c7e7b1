// The operators' page (`is_admin` only): the numbers of the whole teamdrive, and its accounts
// to search and page through, each with its quota, disabled flag and operator rights to change.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, ApiError, type AdminStats, type AdminUser, type AdminUserChange, type User } from "../api";
import { appendUsers, replaceUser } from "../admin";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { LoadMore } from "../components/LoadMore";
import type { MenuItem } from "../components/Menu";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { Working } from "../components/Working";
import { useAction } from "../form";
import { formatBytes, formatDateTime, formatDay, useI18n, type MessageKey } from "../i18n";
import { useLoaded } from "../loaded";
import { usedPercent } from "../usage";
import { QuotaDialog } from "./admin/QuotaDialog";
import { ActionsColumn, ActionsMenu } from "./drive/ActionsMenu";
import { Empty } from "./drive/Empty";
import { SearchBox } from "./drive/SearchBox";

type Confirm = { user: AdminUser; change: AdminUserChange; title: string; text: string; label: string } | null;

const PAGE_SIZE = 50;

export function Admin({ user: me }: { user: User }): JSX.Element {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [listed, setListed] = useLoaded(
    () => api.adminUsers({ q, limit: PAGE_SIZE }).then((page) => ({ items: page.items, cursor: page.next_cursor })),
    [q],
    { restart: true },
  );
  const [quotaOf, setQuotaOf] = useState<AdminUser | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [news, setNews] = useState<string | null>(null);
  const changing = useAction();

  const more = async (): Promise<void> => {
    if (listed.status !== "ready" || listed.value.cursor === null) return;
    const page = await api.adminUsers({ q, limit: PAGE_SIZE, cursor: listed.value.cursor });
    setListed((old) =>
      old.status === "ready"
        ? { status: "ready", value: { items: appendUsers(old.value.items, page.items), cursor: page.next_cursor } }
        : old,
    );
  };

  const withUser = (fresh: AdminUser): void => {
    setListed((old) =>
      old.status === "ready" ? { status: "ready", value: { ...old.value, items: replaceUser(old.value.items, fresh) } } : old,
    );
  };

  const apply = async (target: AdminUser, change: AdminUserChange): Promise<boolean> => {
    setNews(null);
    const result = await changing.run(() => api.updateAdminUser(target.id, change));
    if (!result.ok) return false;
    const fresh = result.value;
    withUser(fresh);
    setNews(t("admin.updated", { name: fresh.username }));
    return true;
  };

  /** A menu item that asks before it makes `change`. */
  const asking = (question: NonNullable<Confirm>, danger = false): MenuItem => ({
    label: question.label,
    ...(danger ? { danger } : {}),
    onSelect: () => {
      changing.setError(null);
      setConfirm(question);
    },
  });

  const actionsFor = (user: AdminUser): MenuItem[] => {
    const name = user.username;
    return [
      {
        label: t("admin.set_quota"),
        onSelect: () => {
          setQuotaOf(user);
        },
      },
      user.is_admin
        ? asking({
            user,
            change: { is_admin: false },
            title: t("admin.confirm_unadmin_title", { name }),
            text: t("admin.confirm_unadmin_text"),
            label: t("admin.unmake_admin"),
          })
        : asking({
            user,
            change: { is_admin: true },
            title: t("admin.confirm_admin_title", { name }),
            text: t("admin.confirm_admin_text"),
            label: t("admin.make_admin"),
          }),
      user.disabled
        ? { label: t("admin.enable"), onSelect: () => void apply(user, { disabled: false }) }
        : asking(
            {
              user,
              change: { disabled: true },
              title: t("admin.confirm_disable_title", { name }),
              text: t("admin.confirm_disable_text"),
              label: t("admin.disable"),
            },
            true,
          ),
    ];
  };

  return (
    <Page width="full" title={t("admin.title")} intro={t("admin.intro")}>
      <Overview />
      <section class="stack" aria-labelledby="admin-users-title">
        <div class="card__head">
          <h2 id="admin-users-title" class="section__title">
            {t("admin.users")}
          </h2>
          <SearchBox
            label={t("admin.search")}
            placeholder={t("admin.search_placeholder")}
            maxLength={254}
            value={text}
            onInput={setText}
            onSearch={setQ}
          />
        </div>
        {news !== null && <Notice kind="success">{news}</Notice>}
        {confirm === null && quotaOf === null && <ErrorNotice error={changing.error} />}
        {changing.busy && confirm === null && quotaOf === null && <Working>{t("drive.working")}</Working>}
        {listed.status === "loading" && <Working>{t("drive.loading")}</Working>}
        {listed.status === "failed" &&
          (listed.error instanceof ApiError && listed.error.code === "invalid_request" ? (
            <Notice kind="error">{t("admin.search_invalid")}</Notice>
          ) : (
            <ErrorNotice error={listed.error} />
          ))}
        {listed.status === "ready" && listed.value.items.length === 0 && <Empty icon="search" title={t("admin.none")} />}
        {listed.status === "ready" && listed.value.items.length > 0 && (
          <UserTable users={listed.value.items} me={me} actionsFor={actionsFor} />
        )}
        {listed.status === "ready" && listed.value.cursor !== null && <LoadMore onMore={more} />}
      </section>
      <QuotaDialog
        user={quotaOf}
        onClose={() => {
          setQuotaOf(null);
        }}
        onSave={async (target, bytes) => {
          const result = await api.updateAdminUser(target.id, { quota_bytes: bytes });
          withUser(result);
          setNews(t("admin.updated", { name: result.username }));
        }}
      />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.title ?? ""}
        text={confirm?.text ?? ""}
        confirmLabel={confirm?.label ?? ""}
        busy={changing.busy}
        error={changing.error}
        onConfirm={() => {
          if (!confirm) return;
          void apply(confirm.user, confirm.change).then((ok) => {
            if (ok) setConfirm(null);
          });
        }}
        onClose={() => {
          setConfirm(null);
          changing.setError(null);
        }}
      />
    </Page>
  );
}

const STATS: { key: keyof Omit<AdminStats, "computed_at">; label: MessageKey; bytes?: boolean; warn?: boolean }[] = [
  { key: "users", label: "admin.stat_users" },
  { key: "files", label: "admin.stat_files" },
  { key: "bytes", label: "admin.stat_bytes", bytes: true },
  { key: "pending_uploads", label: "admin.stat_pending" },
  { key: "failed_thumbnails", label: "admin.stat_failed", warn: true },
];

function Overview(): JSX.Element {
  const { t, lang } = useI18n();
  const [loaded] = useLoaded(() => api.adminStats(), []);
  const stats = loaded.status === "ready" ? loaded.value : null;
  const number = new Intl.NumberFormat(lang);
  return (
    <section class="stack" aria-labelledby="admin-stats-title">
      <div class="card__head">
        <h2 id="admin-stats-title" class="section__title">
          {t("admin.stats")}
        </h2>
        {stats && (
          <span class="muted small">{t("admin.computed_at", { time: formatDateTime(lang, stats.computed_at) })}</span>
        )}
      </div>
      <ErrorNotice error={loaded.status === "failed" ? loaded.error : null} />
      {loaded.status === "loading" && <Working>{t("drive.loading")}</Working>}
      {stats && (
        <dl class="stat-cards">
          {STATS.map((stat) => (
            <div key={stat.key} class={`stat${stat.warn && stats[stat.key] > 0 ? " stat--warn" : ""}`}>
              <dt class="stat__label">{t(stat.label)}</dt>
              <dd class="stat__value">
                {stat.bytes ? formatBytes(lang, stats[stat.key]) : number.format(stats[stat.key])}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function UserTable({
  users,
  me,
  actionsFor,
}: {
  users: AdminUser[];
  me: User;
  actionsFor: (user: AdminUser) => MenuItem[];
}): JSX.Element {
  const { t, lang } = useI18n();
  return (
    <table class="nodes admin-users">
      <thead>
        <tr>
          <th scope="col">{t("admin.col_user")}</th>
          <th scope="col" class="admin-users__storage">
            {t("admin.col_storage")}
          </th>
          <th scope="col" class="admin-users__status">
            {t("admin.col_status")}
          </th>
          <th scope="col" class="admin-users__created">
            {t("admin.col_created")}
          </th>
          <ActionsColumn />
        </tr>
      </thead>
      <tbody>
        {users.map((user) => {
          const used = formatBytes(lang, user.storage.used_bytes);
          const quota = formatBytes(lang, user.storage.quota_bytes);
          const percent = usedPercent(user.storage.used_bytes, user.storage.quota_bytes);
          return (
            <tr key={user.id} class={`nodes__row${user.disabled ? " is-disabled" : ""}`}>
              <td class="admin-users__who">
                <span class="person__name">
                  {user.username}
                  {user.id === me.id && <span class="badge badge--muted">{t("team.you")}</span>}
                </span>
                <span class="row__sub">
                  {user.nickname ? `${user.nickname} · ` : ""}
                  {user.email}
                </span>
                <span class="row__sub admin-users__sub">
                  {used} / {quota}
                </span>
                <span class="admin-users__sub">
                  <Status user={user} />
                </span>
              </td>
              <td class="admin-users__storage">
                <span class="small">
                  {used} / {quota}
                </span>
                <span class="usage" aria-hidden="true">
                  <span class="usage__fill" style={{ width: `${String(percent)}%` }} />
                </span>
              </td>
              <td class="admin-users__status">
                <Status user={user} />
              </td>
              <td class="admin-users__created">{formatDay(lang, user.created_at)}</td>
              <td class="nodes__menu">
                <ActionsMenu name={user.username} items={actionsFor(user)} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Status({ user }: { user: AdminUser }): JSX.Element {
  const { t } = useI18n();
  return (
    <span class="badges">
      {user.disabled ? (
        <span class="badge badge--danger">{t("admin.badge_disabled")}</span>
      ) : (
        <span class="badge badge--ok">{t("admin.badge_active")}</span>
      )}
      {user.is_admin && <span class="badge badge--primary">{t("admin.badge_admin")}</span>}
    </span>
  );
}
