// A list the API pages with `next_cursor` (the trash, search results): the first page, more
// on request, and local removals after an action on an item.
import { useEffect, useRef, useState } from "preact/hooks";
import type { DriveNode, ListPage } from "../../api";

export interface Paged {
  status: "loading" | "ready" | "failed";
  items: DriveNode[];
  cursor: string | null;
  error: unknown;
  more: () => Promise<void>;
  remove: (id: string) => void;
  clear: () => void;
  reload: () => void;
}

/** `load(cursor)` fetches one page; `key` names the list (a new key starts again). */
export function usePaged(key: string, load: (cursor: string | null) => Promise<ListPage<DriveNode>>): Paged {
  const [state, setState] = useState<Omit<Paged, "more" | "remove" | "clear" | "reload">>({
    status: "loading",
    items: [],
    cursor: null,
    error: null,
  });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let live = true;
    setState({ status: "loading", items: [], cursor: null, error: null });
    loader.current(null).then(
      (page) => {
        if (live) setState({ status: "ready", items: page.items, cursor: page.next_cursor, error: null });
      },
      (error: unknown) => {
        if (live) setState({ status: "failed", items: [], cursor: null, error });
      },
    );
    return () => {
      live = false;
    };
  }, [key, generation]);

  return {
    ...state,
    more: async () => {
      if (state.cursor === null) return;
      const page = await loader.current(state.cursor);
      setState((old) => ({ ...old, items: [...old.items, ...page.items], cursor: page.next_cursor }));
    },
    remove: (id) => {
      setState((old) => ({ ...old, items: old.items.filter((item) => item.id !== id) }));
    },
    clear: () => {
      setState((old) => ({ ...old, items: [], cursor: null }));
    },
    reload: () => {
      setGeneration((n) => n + 1);
    },
  };
}
