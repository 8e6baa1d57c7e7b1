// The page a share link opens (`/s/{token}`), for anyone, signed in or not: the shared file
// with its download button, or the shared folder to browse (`?folder_id=` for a folder inside
// it, breadcrumbs back to the shared top only). A link with a password asks for it first; the
// password then goes with every view and download of this visit, and is kept nowhere else.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Crumb, type PublicItem, type PublicShare as Shown } from "../api";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { Form } from "../components/Form";
import { LoadMore } from "../components/LoadMore";
import { Page } from "../components/Page";
import { Working } from "../components/Working";
import { fileCategory } from "../drive";
import { focusProblem, useAction, useForm } from "../form";
import { formatBytes, formatDateTime, useI18n } from "../i18n";
import { Link } from "../router";
import { validateRequired } from "../validation";
import { Empty } from "./drive/Empty";
import { Icon, KindIcon } from "./drive/Icon";

type View =
  | { status: "loading" }
  | { status: "failed"; error: unknown }
  | { status: "locked"; share: Shown }
  | { status: "ready"; share: Shown; items: PublicItem[]; cursor: string | null };

export function shareHref(token: string, folderId: string | null = null): string {
  const base = `/s/${encodeURIComponent(token)}`;
  return folderId === null ? base : `${base}?folder_id=${encodeURIComponent(folderId)}`;
}

export function PublicShare({ token, folderId }: { token: string; folderId: string | null }): JSX.Element {
  const { t, lang } = useI18n();
  const [view, setView] = useState<View>({ status: "loading" });
  const password = useRef<string | null>(null);
  const downloading = useAction();
  const [fetching, setFetching] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setView((old) => (old.status === "ready" ? old : { status: "loading" }));
    api.publicShare(token, { folderId, password: password.current }).then(
      (share) => {
        if (!live) return;
        if (share.password_required && password.current === null) setView({ status: "locked", share });
        else setView({ status: "ready", share, items: share.items ?? [], cursor: share.next_cursor ?? null });
      },
      (error: unknown) => {
        if (live) setView({ status: "failed", error });
      },
    );
    return () => {
      live = false;
    };
  }, [token, folderId]);

  const unlock = async (given: string): Promise<void> => {
    const share = await api.publicShare(token, { folderId, password: given });
    password.current = given;
    setView({ status: "ready", share, items: share.items ?? [], cursor: share.next_cursor ?? null });
  };

  const more = async (): Promise<void> => {
    if (view.status !== "ready" || view.cursor === null) return;
    const page = await api.publicShare(token, { folderId, cursor: view.cursor, password: password.current });
    setView((old) =>
      old.status === "ready"
        ? { ...old, items: [...old.items, ...(page.items ?? [])], cursor: page.next_cursor ?? null }
        : old,
    );
  };

  const download = (file: PublicItem | null): void => {
    setFetching(file?.id ?? "top");
    void downloading
      .run(async () => {
        const link = await api.publicDownload(token, { fileId: file?.id ?? null, password: password.current });
        window.location.assign(link.url);
      })
      .finally(() => {
        setFetching(null);
      });
  };

  if (view.status === "loading") {
    return (
      <Page title={t("public.title_fallback")} width="wide">
        <Working>{t("drive.loading")}</Working>
      </Page>
    );
  }

  if (view.status === "failed") {
    const status = view.error instanceof ApiError ? view.error.status : 0;
    if (status === 404 || status === 410) {
      return (
        <Page title={status === 404 ? t("public.not_found_title") : t("public.gone_title")} width="wide">
          <Empty icon="link" title={status === 404 ? t("public.not_found") : t("error.gone")}>
            <Link href="/">{t("not_found.home")}</Link>
          </Empty>
        </Page>
      );
    }
    return (
      <Page title={t("public.title_fallback")} width="wide">
        <ErrorNotice error={view.error} />
      </Page>
    );
  }

  const { share } = view;
  const until = t("public.intro", { date: formatDateTime(lang, share.expires_at) });

  if (view.status === "locked") {
    return (
      <Page title={share.name} intro={until} width="narrow">
        <PasswordPrompt name={share.name} onSubmit={unlock} />
      </Page>
    );
  }

  if (share.kind === "file") {
    return (
      <Page title={share.name} intro={until} width="wide">
        <div class="card shared-file">
          <div class={`shared-file__media${share.thumbnail_url ? "" : " shared-file__media--icon"}`}>
            {share.thumbnail_url ? (
              <img class="shared-file__image" src={share.thumbnail_url} alt="" />
            ) : (
              <KindIcon category={fileCategory(share)} size={56} />
            )}
          </div>
          <div class="shared-file__body">
            <p class="shared-file__name">{share.name}</p>
            <p class="muted">
              {formatBytes(lang, share.size)}
              {share.content_type ? ` · ${share.content_type}` : ""}
            </p>
            <ErrorNotice error={downloading.error} />
            <div class="actions">
              <Button busy={downloading.busy} onClick={() => {
                download(null);
              }}>
                <Icon name="download" />
                {t("public.download")}
              </Button>
            </div>
          </div>
        </div>
      </Page>
    );
  }

  const path: Crumb[] = share.path ?? [{ id: share.id, name: share.name }];
  return (
    <Page
      title={share.name}
      intro={until}
      width="wide"
      lead={path.length > 1 ? <ShareCrumbs token={token} path={path} /> : undefined}
    >
      <ErrorNotice error={downloading.error} />
      {view.items.length === 0 && view.cursor === null ? (
        <Empty icon="folder" title={t("drive.empty")} />
      ) : (
        <ul class="rows" aria-label={share.name}>
          {view.items.map((item) => (
            <li key={item.id} class="row">
              {item.thumbnail_url ? (
                <img class="thumb" src={item.thumbnail_url} alt="" width={32} height={32} loading="lazy" />
              ) : (
                <KindIcon category={fileCategory(item)} />
              )}
              <span class="row__label">
                {item.kind === "folder" ? (
                  <Link class="row__title" href={shareHref(token, item.id)}>
                    {item.name}
                  </Link>
                ) : (
                  <span class="row__title">{item.name}</span>
                )}
                <span class="row__sub">
                  {item.kind === "folder"
                    ? t("public.folder_size", { size: formatBytes(lang, item.size) })
                    : formatBytes(lang, item.size)}
                </span>
              </span>
              {item.kind === "file" && (
                <span class="row__actions">
                  <Button
                    variant="secondary"
                    label={t("drive.download_name", { name: item.name })}
                    busy={fetching === item.id}
                    disabled={downloading.busy}
                    onClick={() => {
                      download(item);
                    }}
                  >
                    <Icon name="download" size={18} />
                    {t("public.download")}
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {view.cursor !== null && <LoadMore onMore={more} />}
    </Page>
  );
}

function ShareCrumbs({ token, path }: { token: string; path: Crumb[] }): JSX.Element {
  const { t } = useI18n();
  return (
    <nav aria-label={t("drive.breadcrumbs")}>
      <ol class="crumbs">
        {path.map((crumb, index) => (
          <li key={crumb.id} class="crumbs__item">
            {index === path.length - 1 ? (
              <span aria-current="page">{crumb.name}</span>
            ) : (
              <Link href={shareHref(token, index === 0 ? null : crumb.id)}>{crumb.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function PasswordPrompt({ name, onSubmit }: { name: string; onSubmit: (password: string) => Promise<void> }): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ password: "" }, { password: validateRequired });

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!form.valid) return;
    const result = await action.run(() => onSubmit(form.values.password));
    if (!result.ok) {
      if (result.error instanceof ApiError && result.error.code === "wrong_password") {
        form.setServerError("password", "error.wrong_password");
        action.setError(null);
      }
      focusProblem(ref.current);
    }
  };

  return (
    <Form formRef={ref} onSubmit={submit}>
      <div class="lock">
        <span class="empty__icon" aria-hidden="true">
          <Icon name="lock" size={32} />
        </span>
        <h2 class="card__title">{t("public.password_title")}</h2>
        <p class="muted">{t("public.password_intro", { name })}</p>
      </div>
      <Field label={t("share.password")} type="password" revealable autoComplete="off" autoFocus {...form.field("password")} />
      <ErrorNotice error={action.error} />
      <Button type="submit" busy={action.busy} disabled={!form.valid}>
        {t("public.open")}
      </Button>
    </Form>
  );
}
