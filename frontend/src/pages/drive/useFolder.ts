// One folder as the drive page shows it: its first page in the chosen order, more pages on
// request, local changes after a rename, move, delete or upload, and a few polls while a new
// picture's thumbnail is being made, so it appears without a reload.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, type Crumb, type DriveNode, type Sort } from "../../api";
import { hasPendingThumbnails, insertSorted, mergeFresh } from "../../drive";

const POLL_MS = 2500;
const MAX_POLLS = 12;

export interface FolderView {
  status: "loading" | "ready" | "failed";
  folder: DriveNode | null;
  path: Crumb[];
  items: DriveNode[];
  cursor: string | null;
  error: unknown;
}

const LOADING: FolderView = { status: "loading", folder: null, path: [], items: [], cursor: null, error: null };

export interface Folder extends FolderView {
  reload: () => void;
  more: () => Promise<void>;
  /** Puts a new or changed node where the order wants it (or drops it if it left). */
  put: (node: DriveNode) => void;
  remove: (ids: Iterable<string>) => void;
}

export function useFolder(folderId: string, sort: Sort): Folder {
  const [view, setView] = useState<FolderView>(LOADING);
  const [generation, setGeneration] = useState(0);
  const polls = useRef(0);

  useEffect(() => {
    let live = true;
    polls.current = 0;
    setView((old) => (old.folder?.id === folderId ? { ...old, status: "loading", error: null } : LOADING));
    api.folder(folderId, { sort }).then(
      (page) => {
        if (live) {
          setView({
            status: "ready",
            folder: page.folder,
            path: page.path,
            items: page.items,
            cursor: page.next_cursor,
            error: null,
          });
        }
      },
      (error: unknown) => {
        if (live) setView({ ...LOADING, status: "failed", error });
      },
    );
    return () => {
      live = false;
    };
  }, [folderId, sort, generation]);

  useEffect(() => {
    if (view.status !== "ready" || !hasPendingThumbnails(view.items) || polls.current >= MAX_POLLS) return;
    let live = true;
    const limit = Math.min(200, Math.max(50, view.items.length));
    const timer = setTimeout(() => {
      polls.current++;
      api.folder(folderId, { sort, limit }).then(
        (page) => {
          if (live) setView((old) => ({ ...old, items: mergeFresh(old.items, page.items) }));
        },
        () => {
          if (live) setView((old) => ({ ...old })); // try again on the next tick, within the limit
        },
      );
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [view, folderId, sort]);

  const cursor = useRef(view.cursor);
  cursor.current = view.cursor;
  const actions = useMemo(
    () => ({
      reload: () => {
        setGeneration((n) => n + 1);
      },
      more: async () => {
        if (cursor.current === null) return;
        const page = await api.folder(folderId, { sort, cursor: cursor.current });
        setView((old) => {
          const known = new Set(old.items.map((item) => item.id));
          return {
            ...old,
            items: [...old.items, ...page.items.filter((item) => !known.has(item.id))],
            cursor: page.next_cursor,
          };
        });
      },
      put: (node: DriveNode) => {
        polls.current = 0;
        setView((old) => {
          if (node.parent_id !== folderId || node.status === "trashed") {
            return { ...old, items: old.items.filter((item) => item.id !== node.id) };
          }
          return { ...old, items: insertSorted(old.items, node, sort) };
        });
      },
      remove: (ids: Iterable<string>) => {
        const gone = new Set(ids);
        setView((old) => ({ ...old, items: old.items.filter((item) => !gone.has(item.id)) }));
      },
    }),
    [folderId, sort],
  );

  return { ...view, ...actions };
}
