// A small router over the History API: real paths, a location hook, links that navigate
// without reloading, and a redirect. Pages read `state` for one-off notices.
import type { AnchorHTMLAttributes, ComponentChildren, JSX, TargetedMouseEvent } from "preact";
import { useEffect, useLayoutEffect, useState } from "preact/hooks";

export interface Location {
  path: string;
  query: URLSearchParams;
  state: unknown;
}

const listeners = new Set<() => void>();
let navigations = 0;

function read(): Location {
  return {
    path: window.location.pathname,
    query: new URLSearchParams(window.location.search),
    state: window.history.state as unknown,
  };
}

function notify(): void {
  navigations++;
  for (const listener of listeners) listener();
}

if (typeof window !== "undefined") window.addEventListener("popstate", notify);

/** How many in-app navigations happened; 0 on the page the browser loaded. */
export function navigationCount(): number {
  return navigations;
}

export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}): void {
  const state = options.state ?? null;
  if (options.replace) {
    window.history.replaceState(state, "", to);
  } else {
    window.history.pushState(state, "", to);
    window.scrollTo(0, 0);
  }
  notify();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = (): void => {
      setLocation(read());
    };
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

/**
 * Where to go after signing in: only a path on this site. "//host" and "/\host" are
 * other sites to a browser, so they are refused.
 */
export function safeNext(value: string | null, fallback = "/drive"): string {
  if (value === null || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  return value;
}

type LinkProps = AnchorHTMLAttributes & { href: string; children?: ComponentChildren };

export function Link({ href, onClick, ...rest }: LinkProps): JSX.Element {
  const handle = (event: TargetedMouseEvent<HTMLAnchorElement>): void => {
    if (onClick) onClick(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (rest.target !== undefined && rest.target !== "_self") return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

export function Redirect({ to }: { to: string }): null {
  useLayoutEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}
