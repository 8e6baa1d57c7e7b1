// A line that says what is in progress, with a spinner, announced politely.
import type { ComponentChildren, JSX } from "preact";

export function Working({ children }: { children: ComponentChildren }): JSX.Element {
  return (
    <p class="working" role="status">
      <span class="spinner" aria-hidden="true" /> {children}
    </p>
  );
}
