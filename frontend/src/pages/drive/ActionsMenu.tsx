// The "⋯" menu at the end of a row (a file, a member, an account) and its table column's
// heading, which only screen readers hear.
import type { JSX } from "preact";
import { Menu, type MenuItem } from "../../components/Menu";
import { useI18n } from "../../i18n";
import { Icon } from "./Icon";

export function ActionsMenu({ name, items }: { name: string; items: MenuItem[] }): JSX.Element {
  const { t } = useI18n();
  return (
    <Menu label={t("drive.actions_for", { name })} items={items}>
      <Icon name="more" />
    </Menu>
  );
}

export function ActionsColumn(): JSX.Element {
  const { t } = useI18n();
  return (
    <th scope="col" class="nodes__menu">
      <span class="visually-hidden">{t("drive.col_actions")}</span>
    </th>
  );
}
