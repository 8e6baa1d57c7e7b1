// A team's members, the leader first and marked. The leader may hand the team to another
// member or remove one, each after a confirmation.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type TeamMember } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useAction } from "../../form";
import { formatDay, useI18n } from "../../i18n";
import { isLeader, personName, type TeamSectionProps } from "../../teams";
import { ActionsMenu } from "../drive/ActionsMenu";

type Confirm = { kind: "leader" | "remove"; member: TeamMember; name: string } | null;

/** The first character as a person sees it, for the avatar. */
export function initialOf(name: string): string {
  const first = new Intl.Segmenter().segment(name)[Symbol.iterator]().next();
  return first.done ? "?" : first.value.segment.toUpperCase();
}

export function Members({ detail, user, onChanged }: TeamSectionProps): JSX.Element {
  const { t, lang } = useI18n();
  const [confirm, setConfirm] = useState<Confirm>(null);
  const action = useAction();
  const leader = isLeader(detail, user.id);
  const teamId = detail.team.id;

  const confirmed = async (): Promise<void> => {
    if (!confirm) return;
    const { kind, member, name } = confirm;
    const result = await action.run(() =>
      kind === "leader"
        ? api.updateTeam(teamId, { leader_id: member.id }).then(() => undefined)
        : api.removeMember(teamId, member.id),
    );
    if (!result.ok) return;
    setConfirm(null);
    onChanged(kind === "leader" ? t("team.leader_changed", { name }) : t("team.removed", { name }));
  };

  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title" class="card__title">
        {t("team.members")} <span class="count">{detail.members.length}</span>
      </h2>
      <ul class="people">
        {detail.members.map((member) => {
          const name = personName(member) ?? t("team.closed_account");
          const me = member.id === user.id;
          return (
            <li key={member.id} class="person">
              <span class="avatar" aria-hidden="true">
                {initialOf(name)}
              </span>
              <span class="row__label">
                <span class="person__name">
                  {name}
                  {member.role === "leader" && <span class="badge badge--primary">{t("teams.leader")}</span>}
                  {me && <span class="badge badge--muted">{t("team.you")}</span>}
                </span>
                <span class="row__sub">
                  {member.username !== null && member.username !== name ? `@${member.username} · ` : ""}
                  {t("team.joined_on", { date: formatDay(lang, member.joined_at) })}
                </span>
              </span>
              {leader && !me && (
                <ActionsMenu
                  name={name}
                  items={[
                    {
                      label: t("team.make_leader"),
                      onSelect: () => {
                        action.setError(null);
                        setConfirm({ kind: "leader", member, name });
                      },
                    },
                    {
                      label: t("team.remove"),
                      danger: true,
                      onSelect: () => {
                        action.setError(null);
                        setConfirm({ kind: "remove", member, name });
                      },
                    },
                  ]}
                />
              )}
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm?.kind === "leader"
            ? t("team.confirm_leader_title", { name: confirm.name })
            : t("team.confirm_remove_title", { name: confirm?.name ?? "" })
        }
        text={confirm?.kind === "leader" ? t("team.confirm_leader_text") : t("team.confirm_remove_text")}
        confirmLabel={confirm?.kind === "leader" ? t("team.make_leader") : t("team.remove")}
        busy={action.busy}
        error={action.error}
        onConfirm={() => void confirmed()}
        onClose={() => {
          setConfirm(null);
        }}
      />
    </section>
  );
}
