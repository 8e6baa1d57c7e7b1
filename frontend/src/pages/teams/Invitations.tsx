// The leader's side of invitations: inviting someone by username (with suggestions as they
// type) or by email address, and the invitations still waiting for an answer.
import type { JSX } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { api, ApiError, type Person, type TeamInvitation } from "../../api";
import { Button } from "../../components/Button";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Notice } from "../../components/Notice";
import { describeError } from "../../errors";
import { useAction } from "../../form";
import { formatDay, useI18n } from "../../i18n";
import { inviteTarget, personName } from "../../teams";
import { initialOf } from "./Members";

const SUGGEST_DELAY_MS = 200;

/** Suggestions for what is typed: a username prefix (no @), 1–30 characters. */
function useSuggestions(text: string): Person[] {
  const [people, setPeople] = useState<Person[]>([]);
  const q = text.trim().toLowerCase();
  useEffect(() => {
    if (q === "" || q.length > 30 || q.includes("@")) {
      setPeople([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.searchUsers(q).then(
        (found) => {
          if (live) setPeople(found);
        },
        () => {
          if (live) setPeople([]);
        },
      );
    }, SUGGEST_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return people;
}

export function InviteForm({ teamId, onInvited }: { teamId: string; onInvited: (news: string) => void }): JSX.Element {
  const { t, lang } = useI18n();
  const id = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const action = useAction();
  const input = useRef<HTMLInputElement>(null);
  const people = useSuggestions(text);
  const shown = open && people.length > 0;
  const listId = `${id}-list`;
  const optionId = (index: number): string => `${id}-option-${String(index)}`;

  useEffect(() => {
    setActive(-1);
  }, [people]);

  const pick = (person: Person): void => {
    setText(person.username ?? "");
    setOpen(false);
    input.current?.focus();
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const target = inviteTarget(text);
    if (!target) return;
    setOpen(false);
    const result = await action.run(() => api.invite(teamId, target));
    if (result.ok) {
      const who = "email" in target ? target.email : (personName(result.value.user) ?? target.username);
      setText("");
      onInvited(t("team.invited", { name: who }));
    } else {
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (people.length === 0) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((old) => (old + step + people.length) % people.length);
    } else if (event.key === "Enter" && shown && active >= 0) {
      const person = people[active];
      if (person) {
        event.preventDefault();
        pick(person);
      }
    } else if (event.key === "Escape" && shown) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  const error = action.error;
  let message: string | null = null;
  if (error instanceof ApiError && error.status === 409) message = t("team.invite_conflict");
  else if (error instanceof ApiError && error.status === 404) message = t("team.invite_not_found");
  else if (error instanceof ApiError && Object.keys(error.fields).length > 0) message = t("problem.username_chars");
  else if (error !== null) message = describeError(error, t, lang);

  return (
    <section class="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="card__title">
        {t("team.invite_title")}
      </h2>
      <form class="stack" onSubmit={(event) => void submit(event)} noValidate>
        <div class="field">
          <label for={id} class="field__label">
            {t("team.invite_label")}
          </label>
          <div class="combo">
            <input
              ref={input}
              id={id}
              class="input"
              type="text"
              value={text}
              autoComplete="off"
              autoCapitalize="none"
              spellcheck={false}
              maxLength={254}
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={shown}
              aria-controls={listId}
              aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
              aria-describedby={`${id}-hint`}
              onInput={(event) => {
                setText(event.currentTarget.value);
                setOpen(true);
                action.setError(null);
              }}
              onKeyDown={onKeyDown}
              onBlur={() => {
                setOpen(false);
              }}
            />
            <ul
              id={listId}
              class="combo__list"
              role="listbox"
              aria-label={t("team.suggestions", { q: text.trim() })}
              hidden={!shown}
            >
              {people.map((person, index) => {
                const name = personName(person) ?? "";
                return (
                  <li
                    key={person.id}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === active}
                    class={`combo__option${index === active ? " is-active" : ""}`}
                    onMouseDown={(event) => {
                      event.preventDefault();
                      pick(person);
                    }}
                  >
                    <span class="avatar avatar--small" aria-hidden="true">
                      {initialOf(name)}
                    </span>
                    <span class="combo__name">{person.username}</span>
                    {person.nickname && <span class="muted combo__nick">{person.nickname}</span>}
                  </li>
                );
              })}
            </ul>
          </div>
          <p id={`${id}-hint`} class="field__hint">
            {t("team.invite_hint")}
          </p>
        </div>
        {message !== null && <Notice kind="error">{message}</Notice>}
        <div class="actions">
          <Button type="submit" busy={action.busy} disabled={inviteTarget(text) === null}>
            {t("team.invite")}
          </Button>
        </div>
      </form>
    </section>
  );
}

export function PendingInvitations({
  teamId,
  invitations,
  onChanged,
}: {
  teamId: string;
  invitations: TeamInvitation[];
  onChanged: (news: string) => void;
}): JSX.Element {
  const { t, lang } = useI18n();
  const action = useAction();
  const [cancelling, setCancelling] = useState<string | null>(null);

  const cancel = async (invitation: TeamInvitation, name: string): Promise<void> => {
    setCancelling(invitation.user.id);
    const result = await action.run(() => api.cancelInvitation(teamId, invitation.user.id));
    setCancelling(null);
    if (result.ok) onChanged(t("team.invitation_cancelled", { name }));
  };

  return (
    <section class="card" aria-labelledby="pending-title">
      <h2 id="pending-title" class="card__title">
        {t("team.pending")} <span class="count">{invitations.length}</span>
      </h2>
      <ErrorNotice error={action.error} />
      <ul class="people">
        {invitations.map((invitation) => {
          const name = personName(invitation.user) ?? t("team.closed_account");
          return (
            <li key={invitation.user.id} class="person">
              <span class="avatar avatar--pending" aria-hidden="true">
                {initialOf(name)}
              </span>
              <span class="row__label">
                <span class="person__name">{name}</span>
                <span class="row__sub">{t("team.invited_on", { date: formatDay(lang, invitation.invited_at) })}</span>
              </span>
              <Button
                variant="link"
                label={t("team.cancel_invitation_name", { name })}
                busy={cancelling === invitation.user.id}
                disabled={action.busy}
                onClick={() => void cancel(invitation, name)}
              >
                {t("team.cancel_invitation")}
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
