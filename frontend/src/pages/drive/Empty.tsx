// What a list shows when it has nothing in it: a large icon, a title and what to do next.
import type { ComponentChildren, JSX } from "preact";
import { Icon, type IconName } from "./Icon";

export function Empty({ icon, title, children }: { icon: IconName; title: string; children?: ComponentChildren }): JSX.Element {
  return (
    <div class="empty">
      <span class="empty__icon">
        <Icon name={icon} size={40} />
      </span>
      <p class="empty__title">{title}</p>
      {children}
    </div>
  );
}
