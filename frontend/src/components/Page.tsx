// One page's frame: sets the document title and, after an in-app navigation, moves focus
// to the heading so a screen reader starts reading the new page.
import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { navigationCount } from "../router";

export interface PageProps {
  title: string;
  intro?: ComponentChildren;
  /** Above the heading: the drive's breadcrumbs. */
  lead?: ComponentChildren;
  /** Beside the heading, at the end of its line. */
  aside?: ComponentChildren;
  width?: "narrow" | "wide" | "full";
  children?: ComponentChildren;
}

export function Page({ title, intro, lead, aside, width = "narrow", children }: PageProps): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · teamdrive`;
  }, [title]);
  useEffect(() => {
    if (navigationCount() > 0) heading.current?.focus();
  }, []);
  return (
    <section class={`page page--${width}`} aria-labelledby="page-title">
      {lead}
      {aside ? (
        <div class="page__heading">
          <h1 id="page-title" class="page__title" tabIndex={-1} ref={heading}>
            {title}
          </h1>
          {aside}
        </div>
      ) : (
        <h1 id="page-title" class="page__title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
      )}
      {intro && <p class="page__intro">{intro}</p>}
      {children}
    </section>
  );
}
