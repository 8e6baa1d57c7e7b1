// Teams without the DOM: how a person is named, and what the signed-in person may do in a
// team (the API refuses the rest; the page does not offer it).
import type { ListPage, Person, SharedFolder, TeamDetail, User } from "./api";

/** What each section of a team's page is handed: the team, who is looking, and where to say what changed. */
export interface TeamSectionProps {
  detail: TeamDetail;
  user: User;
  onChanged: (news: string) => void;
}

/** The nickname when there is one, else the username; null for a closed account. */
export function personName(person: Person): string | null {
  if (person.nickname !== null && person.nickname.trim() !== "") return person.nickname;
  return person.username;
}

export function isLeader(detail: TeamDetail, userId: string): boolean {
  return detail.team.leader_id === userId;
}

/** The sharer or the leader may stop a share. */
export function canUnshare(detail: TeamDetail, folder: SharedFolder, userId: string): boolean {
  return folder.owner_id === userId || folder.shared_by.id === userId || isLeader(detail, userId);
}

/** A leader may leave only a team of one (which deletes it). */
export function canLeave(detail: TeamDetail, userId: string): boolean {
  return !isLeader(detail, userId) || detail.team.member_count <= 1;
}

/** What the invite box sends: an address when it has an @, else a username. */
export function inviteTarget(text: string): { email: string } | { username: string } | null {
  const value = text.trim();
  if (value === "") return null;
  if (value.includes("@")) return { email: value };
  return { username: value.toLowerCase() };
}

/** The folders others share with the signed-in person, each once with its team's name. */
export function sharedWithMe(
  details: readonly TeamDetail[],
  userId: string,
): { folder: SharedFolder; team: { id: string; name: string } }[] {
  const out: { folder: SharedFolder; team: { id: string; name: string } }[] = [];
  for (const detail of details) {
    for (const folder of detail.shared_folders) {
      if (folder.owner_id === userId) continue;
      out.push({ folder, team: { id: detail.team.id, name: detail.team.name } });
    }
  }
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  return out.sort((a, b) => collator.compare(a.folder.name, b.folder.name) || collator.compare(a.team.name, b.team.name));
}

export function teamHref(id: string): string {
  return `/teams/${encodeURIComponent(id)}`;
}

/** Every page of a short list (a person's teams: at most 100), read one after another. */
export async function allPages<T>(load: (cursor: string | null) => Promise<ListPage<T>>, maxPages = 10): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const got: ListPage<T> = await load(cursor);
    items.push(...got.items);
    cursor = got.next_cursor;
    if (cursor === null) break;
  }
  return items;
}
