// The operators' page (`is_admin` only): the numbers of the whole teamdrive, and its accounts
// to search and page through, each with its quota, disabled flag and operator rights to change.
import type { JSX } from "preact";
import { useEffect, useId, useState } from "preact/hooks";
import { api, ApiError, type AdminStats, type AdminUser, type AdminUserChange, type User } from "../api";
import { appendUsers, replaceUser } from "../admin";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { Menu, type MenuItem } from "../components/Menu";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { useAction } from "../form";
import { formatBytes, formatDateTime, formatDay, useI18n, type MessageKey } from "../i18n";
import { usedPercent } from "../usage";
import { QuotaDialog } from "./admin/QuotaDialog";
import { Icon } from "./drive/Icon";

type Listed =
  | { status: "loading" }
  | { status: "failed"; error: unknown }
  | { status: "ready"; items: AdminUser[]; cursor: string | null };

type Confirm = { user: AdminUser; change: AdminUserChange; title: string; text: string; label: string } | null;

const PAGE_SIZE = 50;

export function Admin({ user: me }: { user: User }): JSX.Element {
  const { t } = useI18n();
  const searchId = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [listed, setListed] = useState<Listed>({ status: "loading" });
  const [quotaOf, setQuotaOf] = useState<AdminUser | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [news, setNews] = useState<string | null>(null);
  const paging = useAction();
  const changing = useAction();

  useEffect(() => {
    let live = true;
    setListed({ status: "loading" });
    api.adminUsers({ q, limit: PAGE_SIZE }).then(
      (page) => {
        if (live) setListed({ status: "ready", items: page.items, cursor: page.next_cursor });
      },
      (error: unknown) => {
        if (live) setListed({ status: "failed", error });
      },
    );
    return () => {
      live = false;
    };
  }, [q]);

  const more = async (): Promise<void> => {
    if (listed.status !== "ready" || listed.cursor === null) return;
    const page = await api.adminUsers({ q, limit: PAGE_SIZE, cursor: listed.cursor });
    setListed((old) =>
      old.status === "ready" ? { status: "ready", items: appendUsers(old.items, page.items), cursor: page.next_cursor } : old,
    );
  };

  const apply = async (target: AdminUser, change: AdminUserChange): Promise<boolean> => {
    setNews(null);
    const result = await changing.run(() => api.updateAdminUser(target.id, change));
    if (!result.ok) return false;
    const fresh = result.value;
    setListed((old) => (old.status === "ready" ? { ...old, items: replaceUser(old.items, fresh) } : old));
    setNews(t("admin.updated", { name: fresh.username }));
    return true;
  };

  const actionsFor = (user: AdminUser): MenuItem[] => {
    const name = user.username;
    const items: MenuItem[] = [
      {
        label: t("admin.set_quota"),
        onSelect: () => {
          setQuotaOf(user);
        },
      },
    ];
    items.push(
      user.is_admin
        ? {
            label: t("admin.unmake_admin"),
            onSelect: () => {
              changing.setError(null);
              setConfirm({
                user,
                change: { is_admin: false },
                title: t("admin.confirm_unadmin_title", { name }),
                text: t("admin.confirm_unadmin_text"),
                label: t("admin.unmake_admin"),
              });
            },
          }
        : {
            label: t("admin.make_admin"),
            onSelect: () => {
              changing.setError(null);
              setConfirm({
                user,
                change: { is_admin: true },
                title: t("admin.confirm_admin_title", { name }),
                text: t("admin.confirm_admin_text"),
                label: t("admin.make_admin"),
              });
            },
          },
    );
    items.push(
      user.disabled
        ? { label: t("admin.enable"), onSelect: () => void apply(user, { disabled: false }) }
        : {
            label: t("admin.disable"),
            danger: true,
            onSelect: () => {
              changing.setError(null);
              setConfirm({
                user,
                change: { disabled: true },
                title: t("admin.confirm_disable_title", { name }),
                text: t("admin.confirm_disable_text"),
                label: t("admin.disable"),
              });
            },
          },
    );
    return items;
  };

  return (
    <Page width="full" title={t("admin.title")} intro={t("admin.intro")}>
      <Overview />
      <section class="stack" aria-labelledby="admin-users-title">
        <div class="card__head">
          <h2 id="admin-users-title" class="section__title">
            {t("admin.users")}
          </h2>
          <form
            class="search-box"
            role="search"
            onSubmit={(event) => {
              event.preventDefault();
              setQ(text.trim());
            }}
          >
            <label for={searchId} class="visually-hidden">
              {t("admin.search")}
            </label>
            <span class="search-box__icon">
              <Icon name="search" size={18} />
            </span>
            <input
              id={searchId}
              class="search-box__input"
              type="search"
              value={text}
              placeholder={t("admin.search_placeholder")}
              maxLength={254}
              autoComplete="off"
              onInput={(event) => {
                setText(event.currentTarget.value);
              }}
            />
            <button type="submit" class="search-box__submit">
              {t("nav.search_submit")}
            </button>
          </form>
        </div>
        {news !== null && <Notice kind="success">{news}</Notice>}
        {confirm === null && quotaOf === null && <ErrorNotice error={changing.error} />}
        {changing.busy && confirm === null && quotaOf === null && (
          <p class="working" role="status">
            <span class="spinner" aria-hidden="true" /> {t("drive.working")}
          </p>
        )}
        {listed.status === "loading" && (
          <p class="working" role="status">
            <span class="spinner" aria-hidden="true" /> {t("drive.loading")}
          </p>
        )}
        {listed.status === "failed" &&
          (listed.error instanceof ApiError && listed.error.code === "invalid_request" ? (
            <Notice kind="error">{t("admin.search_invalid")}</Notice>
          ) : (
            <ErrorNotice error={listed.error} />
          ))}
        {listed.status === "ready" && listed.items.length === 0 && (
          <div class="empty">
            <span class="empty__icon">
              <Icon name="search" size={40} />
            </span>
            <p class="empty__title">{t("admin.none")}</p>
          </div>
        )}
        {listed.status === "ready" && listed.items.length > 0 && (
          <UserTable users={listed.items} me={me} actionsFor={actionsFor} />
        )}
        {listed.status === "ready" && listed.cursor !== null && (
          <div class="more">
            <Button variant="secondary" busy={paging.busy} onClick={() => void paging.run(more)}>
              {t("drive.load_more")}
            </Button>
            <ErrorNotice error={paging.error} />
          </div>
        )}
      </section>
      <QuotaDialog
        user={quotaOf}
        onClose={() => {
          setQuotaOf(null);
        }}
        onSave={async (target, bytes) => {
          const result = await api.updateAdminUser(target.id, { quota_bytes: bytes });
          setListed((old) => (old.status === "ready" ? { ...old, items: replaceUser(old.items, result) } : old));
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
  const [stats, setStats] = useState<AdminStats | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api.adminStats().then(
      (got) => {
        if (live) setStats(got);
      },
      (caught: unknown) => {
        if (live) setError(caught);
      },
    );
    return () => {
      live = false;
    };
  }, []);
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
      <ErrorNotice error={error} />
      {stats === null && error === null && (
        <p class="working" role="status">
          <span class="spinner" aria-hidden="true" /> {t("drive.loading")}
        </p>
      )}
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
          <th scope="col" class="nodes__menu">
            <span class="visually-hidden">{t("drive.col_actions")}</span>
          </th>
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
                <Menu label={t("drive.actions_for", { name: user.username })} items={actionsFor(user)}>
                  <Icon name="more" />
                </Menu>
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
