// A message about the whole form or page. Errors are announced at once (role=alert), other
// news politely (role=status). The notice can take focus after a failed submit.
import type { ComponentChildren, JSX } from "preact";

export interface NoticeProps {
  kind: "error" | "success" | "info";
  children: ComponentChildren;
}

export function Notice({ kind, children }: NoticeProps): JSX.Element {
  return (
    <div class={`notice notice--${kind}`} role={kind === "error" ? "alert" : "status"} tabIndex={-1} data-notice>
      {children}
    </div>
  );
}
