// "Shared with me": the folders that others share with the signed-in person's teams. The API
// has no list of its own for this, so the page reads the person's teams and each team's
// shared folders (a person is in at most 100 teams).
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type User } from "../api";
import { LoadStatus } from "../components/LoadStatus";
import { Page } from "../components/Page";
import { formatDay, useI18n } from "../i18n";
import { useLoaded } from "../loaded";
import { Link } from "../router";
import { allPages, personName, sharedWithMe, teamHref } from "../teams";
import { DriveBar } from "./drive/DriveBar";
import { Empty } from "./drive/Empty";
import { SharedFolderRow } from "./teams/SharedFolderRow";

type Entry = ReturnType<typeof sharedWithMe>[number];

async function load(userId: string): Promise<Entry[]> {
  const teams = await allPages((cursor) => api.teams({ cursor, limit: 100 }));
  const details = await Promise.all(teams.map((team) => api.team(team.id)));
  return sharedWithMe(details, userId);
}

export function Shared({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
  const [generation, setGeneration] = useState(0);
  const [state] = useLoaded(() => load(user.id), [user.id, generation], { restart: true });
  const rootId = user.storage.root_folder_id;

  return (
    <div class="drive">
      <DriveBar current="shared" />
      <Page width="full" title={t("shared.title")} intro={t("shared.intro")}>
        <LoadStatus
          loaded={state}
          onRetry={() => {
            setGeneration((n) => n + 1);
          }}
        />
        {state.status === "ready" && state.value.length === 0 && (
          <Empty icon="shared" title={t("shared.none")}>
            <p class="muted">{t("shared.none_hint")}</p>
            <Link href="/teams">{t("shared.to_teams")}</Link>
          </Empty>
        )}
        {state.status === "ready" && state.value.length > 0 && (
          <ul class="rows" aria-label={t("shared.title")}>
            {state.value.map(({ folder, team }) => (
              <SharedFolderRow
                key={`${team.id}:${folder.folder_id}`}
                class="row"
                folder={folder}
                rootId={rootId}
                sub={
                  <>
                    <Link class="row__team" href={teamHref(team.id)}>
                      {team.name}
                    </Link>
                    {" · "}
                    {t("team.shared_by", { name: personName(folder.shared_by) ?? t("team.closed_account") })} ·{" "}
                    {formatDay(lang, folder.shared_at)}
                  </>
                }
              />
            ))}
          </ul>
        )}
      </Page>
    </div>
  );
}
