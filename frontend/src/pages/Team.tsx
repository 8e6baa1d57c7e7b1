// One team: its members (the leader marked), the folders shared with it and, for its leader,
// inviting people, pending invitations, renaming, handing over and deleting. Every member
// may share their own folders with it, stop sharing them, and leave.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, ApiError, type User } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { Working } from "../components/Working";
import { withFlash } from "../flash";
import { useAction } from "../form";
import { useI18n } from "../i18n";
import { useLoaded } from "../loaded";
import { Link, navigate } from "../router";
import { canLeave, isLeader } from "../teams";
import { DriveBar } from "./drive/DriveBar";
import { Icon } from "./drive/Icon";
import { InviteForm, PendingInvitations } from "./teams/Invitations";
import { Members } from "./teams/Members";
import { SharedFolders } from "./teams/SharedFolders";
import { TeamNameDialog } from "./teams/TeamNameDialog";

export function Team({ user, teamId }: { user: User; teamId: string }): JSX.Element {
  const { t } = useI18n();
  const [generation, setGeneration] = useState(0);
  const [state] = useLoaded(() => api.team(teamId), [teamId, generation]);
  const [news, setNews] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [ending, setEnding] = useState(false);
  const ender = useAction();

  const reload = (text?: string): void => {
    if (text !== undefined) setNews(text);
    setGeneration((n) => n + 1);
  };

  if (state.status !== "ready") {
    const missing = state.status === "failed" && state.error instanceof ApiError && state.error.status === 404;
    return (
      <div class="drive">
        <DriveBar current="teams" />
        <Page width="full" title={t("teams.title")} lead={<BackLink />}>
          {state.status === "loading" && <Working>{t("drive.loading")}</Working>}
          {state.status === "failed" &&
            (missing ? <Notice kind="error">{t("team.not_found")}</Notice> : <ErrorNotice error={state.error} />)}
          {state.status === "failed" && !missing && (
            <div class="actions">
              <Button
                variant="secondary"
                onClick={() => {
                  reload();
                }}
              >
                {t("drive.retry")}
              </Button>
            </div>
          )}
        </Page>
      </div>
    );
  }

  const detail = state.value;
  const leader = isLeader(detail, user.id);
  const leaving = !leader;

  const end = async (): Promise<void> => {
    const result = await ender.run(() => (leaving ? api.removeMember(teamId, "me") : api.deleteTeam(teamId)));
    if (!result.ok) return;
    setEnding(false);
    navigate("/teams", { state: withFlash(leaving ? "flash.team_left" : "flash.team_deleted") });
  };

  return (
    <div class="drive">
      <DriveBar current="teams" />
      <Page
        width="full"
        title={detail.team.name}
        lead={<BackLink />}
        aside={
          leader && (
            <Button
              variant="secondary"
              onClick={() => {
                setRenaming(true);
              }}
            >
              {t("team.rename")}
            </Button>
          )
        }
      >
        {news !== null && <Notice kind="success">{news}</Notice>}
        <div class="team-grid">
          <div class="sections">
            <Members detail={detail} user={user} onChanged={reload} />
            {leader && <InviteForm teamId={teamId} onInvited={reload} />}
            {leader && detail.invitations && detail.invitations.length > 0 && (
              <PendingInvitations teamId={teamId} invitations={detail.invitations} onChanged={reload} />
            )}
          </div>
          <div class="sections">
            <SharedFolders detail={detail} user={user} onChanged={reload} />
            <section class="card card--danger" aria-labelledby="team-end-title">
              <h2 id="team-end-title" class="card__title">
                {leaving ? t("team.leave") : t("team.delete")}
              </h2>
              <p class="muted">{leaving ? t("team.leave_intro") : t("team.delete_intro")}</p>
              {leader && !canLeave(detail, user.id) && <p class="muted">{t("team.leave_leader")}</p>}
              <div class="actions">
                <Button
                  variant="danger"
                  onClick={() => {
                    ender.setError(null);
                    setEnding(true);
                  }}
                >
                  {leaving ? t("team.leave") : t("team.delete")}
                </Button>
              </div>
            </section>
          </div>
        </div>
      </Page>
      <TeamNameDialog
        open={renaming}
        name={detail.team.name}
        onClose={() => {
          setRenaming(false);
        }}
        onSubmit={async (name) => {
          await api.updateTeam(teamId, { name });
          reload(t("team.renamed"));
        }}
      />
      <ConfirmDialog
        open={ending}
        title={
          leaving
            ? t("team.confirm_leave_title", { name: detail.team.name })
            : t("team.confirm_delete_title", { name: detail.team.name })
        }
        text={leaving ? t("team.leave_intro") : t("team.confirm_delete_text")}
        confirmLabel={leaving ? t("team.leave") : t("team.delete")}
        busy={ender.busy}
        error={ender.error}
        onConfirm={() => void end()}
        onClose={() => {
          setEnding(false);
        }}
      />
    </div>
  );
}

function BackLink(): JSX.Element {
  const { t } = useI18n();
  return (
    <Link href="/teams" class="back-link">
      <Icon name="back" size={16} />
      {t("team.back")}
    </Link>
  );
}
