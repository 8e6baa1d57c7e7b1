// A read a page or section starts when it opens, and again when what it depends on changes.
// An answer that comes after a newer read has started, or after the page has gone, is dropped.
import { useEffect, useState, type Dispatch, type StateUpdater } from "preact/hooks";

export type Loaded<T> = { status: "loading" } | { status: "failed"; error: unknown } | { status: "ready"; value: T };

/**
 * Runs `load` (none while it is null) whenever `deps` change. With `restart` each read shows
 * as loading again; without, what was shown stays until the new answer comes.
 */
export function useLoaded<T>(
  load: (() => Promise<T>) | null,
  deps: readonly unknown[],
  { restart = false }: { restart?: boolean } = {},
): [Loaded<T>, Dispatch<StateUpdater<Loaded<T>>>] {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  useEffect(() => {
    if (load === null) return;
    let live = true;
    if (restart) setState({ status: "loading" });
    load().then(
      (value) => {
        if (live) setState({ status: "ready", value });
      },
      (error: unknown) => {
        if (live) setState({ status: "failed", error });
      },
    );
    return () => {
      live = false;
    };
    // `load` is a new closure on every render; `deps` say when it would read something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return [state, setState];
}
