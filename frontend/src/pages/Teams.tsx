// The teams page: invitations waiting for the signed-in person (accept or decline), the teams
// they are in, and a form to make a new one.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type PendingInvitation, type Team, type User } from "../api";
import { Button } from "../components/Button";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { Form } from "../components/Form";
import { LoadStatus } from "../components/LoadStatus";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { readFlash } from "../flash";
import { showFailure, useAction, useForm } from "../form";
import { formatDay, useI18n } from "../i18n";
import { useLoaded } from "../loaded";
import { Link, useLocation } from "../router";
import { allPages, personName, teamHref } from "../teams";
import { validateTeamName } from "../validation";
import { DriveBar } from "./drive/DriveBar";
import { Empty } from "./drive/Empty";
import { Icon } from "./drive/Icon";

export function Teams({ user }: { user: User }): JSX.Element {
  const { t } = useI18n();
  const location = useLocation();
  const flash = readFlash(location.state);
  const [invitations, setInvitations] = useState<PendingInvitation[]>([]);
  const [news, setNews] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [teams, setTeams] = useLoaded(() => allPages((cursor) => api.teams({ cursor, limit: 100 })), [generation]);

  useEffect(() => {
    let live = true;
    api.myInvitations({ limit: 100 }).then(
      (page) => {
        if (live) setInvitations(page.items);
      },
      () => {
        // The teams list shows what went wrong; invitations can wait for the next visit.
      },
    );
    return () => {
      live = false;
    };
  }, [generation]);

  const added = (team: Team, text: string): void => {
    setNews(text);
    setTeams((old) => (old.status === "ready" ? { status: "ready", value: sortTeams([...old.value, team]) } : old));
  };

  return (
    <div class="drive">
      <DriveBar current="teams" />
      <Page width="full" title={t("teams.title")} intro={t("teams.intro")}>
        {flash && <Notice kind="success">{t(flash)}</Notice>}
        {news !== null && <Notice kind="success">{news}</Notice>}
        {invitations.length > 0 && (
          <Invitations
            invitations={invitations}
            onDone={(invitation, joined) => {
              setInvitations((old) => old.filter((each) => each.team.id !== invitation.team.id));
              if (joined) added(joined, t("teams.joined", { name: joined.name }));
              else setNews(t("teams.declined", { name: invitation.team.name }));
            }}
          />
        )}
        <div class="teams-layout">
          <section class="stack" aria-labelledby="teams-yours">
            <h2 id="teams-yours" class="section__title">
              {t("teams.yours")}
            </h2>
            <LoadStatus
              loaded={teams}
              onRetry={() => {
                setGeneration((n) => n + 1);
              }}
            />
            {teams.status === "ready" && teams.value.length === 0 && (
              <Empty icon="team" title={t("teams.none")}>
                <p class="muted">{t("teams.none_hint")}</p>
              </Empty>
            )}
            {teams.status === "ready" && teams.value.length > 0 && (
              <ul class="rows" aria-labelledby="teams-yours">
                {teams.value.map((team) => (
                  <li key={team.id} class="row">
                    <span class="team-mark" aria-hidden="true">
                      <Icon name="team" />
                    </span>
                    <span class="row__label">
                      <Link class="row__title" href={teamHref(team.id)}>
                        {team.name}
                      </Link>
                      <span class="row__sub">
                        {team.member_count === 1
                          ? t("teams.members_one")
                          : t("teams.members_count", { count: team.member_count })}
                      </span>
                    </span>
                    {team.leader_id === user.id && <span class="badge badge--primary">{t("teams.leader")}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <CreateTeam
            onCreated={(team) => {
              added(team, t("teams.created", { name: team.name }));
            }}
          />
        </div>
      </Page>
    </div>
  );
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

function sortTeams(teams: Team[]): Team[] {
  const seen = new Set<string>();
  return teams
    .filter((team) => (seen.has(team.id) ? false : (seen.add(team.id), true)))
    .sort((a, b) => collator.compare(a.name, b.name));
}

function Invitations({
  invitations,
  onDone,
}: {
  invitations: PendingInvitation[];
  onDone: (invitation: PendingInvitation, joined: Team | null) => void;
}): JSX.Element {
  const { t, lang } = useI18n();
  const action = useAction();
  const [working, setWorking] = useState<{ id: string; kind: "accept" | "decline" } | null>(null);

  const answer = async (invitation: PendingInvitation, kind: "accept" | "decline"): Promise<void> => {
    setWorking({ id: invitation.team.id, kind });
    const result = await action.run(() =>
      kind === "accept"
        ? api.acceptInvitation(invitation.team.id)
        : api.declineInvitation(invitation.team.id).then(() => null),
    );
    setWorking(null);
    if (result.ok) onDone(invitation, result.value);
  };

  return (
    <section class="card card--invite" aria-labelledby="invitations-title">
      <h2 id="invitations-title" class="card__title">
        {t("teams.invitations")} <span class="count">{invitations.length}</span>
      </h2>
      <ErrorNotice error={action.error} />
      <ul class="invites">
        {invitations.map((invitation) => {
          const from = personName(invitation.invited_by) ?? t("team.closed_account");
          const busy = working?.id === invitation.team.id;
          return (
            <li key={invitation.team.id} class="invite">
              <span class="row__label">
                <span class="row__title">{invitation.team.name}</span>
                <span class="row__sub">
                  {t("teams.invited_by", { name: from, date: formatDay(lang, invitation.invited_at) })}
                </span>
              </span>
              <span class="row__actions">
                <Button
                  label={t("teams.accept_name", { team: invitation.team.name })}
                  busy={busy && working.kind === "accept"}
                  disabled={action.busy}
                  onClick={() => void answer(invitation, "accept")}
                >
                  {t("teams.accept")}
                </Button>
                <Button
                  variant="secondary"
                  label={t("teams.decline_name", { team: invitation.team.name })}
                  busy={busy && working.kind === "decline"}
                  disabled={action.busy}
                  onClick={() => void answer(invitation, "decline")}
                >
                  {t("teams.decline")}
                </Button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CreateTeam({ onCreated }: { onCreated: (team: Team) => void }): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ name: "" }, { name: validateTeamName });

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!form.valid) return;
    const result = await action.run(() => api.createTeam(form.values.name.trim()));
    if (result.ok) {
      form.reset();
      onCreated(result.value);
    } else {
      showFailure(form, action, result.error, ref.current);
    }
  };

  return (
    <section class="card" aria-labelledby="create-team-title">
      <h2 id="create-team-title" class="card__title">
        {t("teams.create_title")}
      </h2>
      <Form formRef={ref} onSubmit={submit}>
        <Field label={t("teams.name")} autoComplete="off" maxLength={100} {...form.field("name")} />
        <ErrorNotice error={action.error} />
        <div class="actions">
          <Button type="submit" busy={action.busy} disabled={!form.valid}>
            {t("teams.create")}
          </Button>
        </div>
      </Form>
    </section>
  );
}
