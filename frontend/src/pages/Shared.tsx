// "Shared with me": the folders that others share with the signed-in person's teams. The API
// has no list of its own for this, so the page reads the person's teams and each team's
// shared folders (a person is in at most 100 teams).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type User } from "../api";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Page } from "../components/Page";
import { formatDay, useI18n } from "../i18n";
import { Link } from "../router";
import { allPages, personName, sharedWithMe, teamHref } from "../teams";
import { folderHref } from "./drive/Breadcrumbs";
import { DriveBar } from "./drive/DriveBar";
import { Icon } from "./drive/Icon";

type Entry = ReturnType<typeof sharedWithMe>[number];
type State = { status: "loading" } | { status: "failed"; error: unknown } | { status: "ready"; entries: Entry[] };

async function load(userId: string): Promise<Entry[]> {
  const teams = await allPages((cursor) => api.teams({ cursor, limit: 100 }));
  const details = await Promise.all(teams.map((team) => api.team(team.id)));
  return sharedWithMe(details, userId);
}

export function Shared({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  const rootId = user.storage.root_folder_id;

  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    load(user.id).then(
      (entries) => {
        if (live) setState({ status: "ready", entries });
      },
      (error: unknown) => {
        if (live) setState({ status: "failed", error });
      },
    );
    return () => {
      live = false;
    };
  }, [user.id, generation]);

  return (
    <div class="drive">
      <DriveBar current="shared" />
      <Page width="full" title={t("shared.title")} intro={t("shared.intro")}>
        {state.status === "loading" && (
          <p class="working" role="status">
            <span class="spinner" aria-hidden="true" /> {t("drive.loading")}
          </p>
        )}
        {state.status === "failed" && (
          <div class="stack">
            <ErrorNotice error={state.error} />
            <div class="actions">
              <Button
                variant="secondary"
                onClick={() => {
                  setGeneration((n) => n + 1);
                }}
              >
                {t("drive.retry")}
              </Button>
            </div>
          </div>
        )}
        {state.status === "ready" && state.entries.length === 0 && (
          <div class="empty">
            <span class="empty__icon">
              <Icon name="shared" size={40} />
            </span>
            <p class="empty__title">{t("shared.none")}</p>
            <p class="muted">{t("shared.none_hint")}</p>
            <Link href="/teams">{t("shared.to_teams")}</Link>
          </div>
        )}
        {state.status === "ready" && state.entries.length > 0 && (
          <ul class="rows" aria-label={t("shared.title")}>
            {state.entries.map(({ folder, team }) => (
              <li key={`${team.id}:${folder.folder_id}`} class="row">
                <span class="kind kind--folder" aria-hidden="true">
                  <Icon name="folder" size={24} />
                </span>
                <span class="row__label">
                  <Link class="row__title" href={folderHref(folder.folder_id, rootId)}>
                    {folder.name}
                  </Link>
                  <span class="row__sub">
                    <Link class="row__team" href={teamHref(team.id)}>
                      {team.name}
                    </Link>
                    {" · "}
                    {t("team.shared_by", { name: personName(folder.shared_by) ?? t("team.closed_account") })} ·{" "}
                    {formatDay(lang, folder.shared_at)}
                  </span>
                </span>
                <span class={`badge ${folder.access === "write" ? "badge--ok" : "badge--muted"}`}>
                  {folder.access === "write" ? t("team.access_write") : t("team.access_read")}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Page>
    </div>
  );
}
