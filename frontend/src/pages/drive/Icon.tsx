// Small line icons: one per kind of file (so a list reads at a glance) and a few for actions.
// Decorative: the text beside each icon says what it is.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { DriveNode } from "../../api";
import { fileCategory, type FileCategory } from "../../drive";

const PATHS = {
  folder: "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z",
  image:
    "M5 4h14a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm0 12 4-4 3 3 3-3 4 4M9 9.5a1.5 1.5 0 1 0 0-.01",
  video: "M4 6h11a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm12 4 5-3v10l-5-3",
  audio: "M9 18V6l10-2v12M9 18a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0zm10-2a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0z",
  pdf: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zm8 0v5h5M8 13h2.5a1.5 1.5 0 0 1 0 3H8v-3zm0 3v2",
  document: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zm8 0v5h5M8 12h8M8 15h8M8 18h5",
  archive: "M4 4h16v4H4zM5 8v11a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8M10 12h4",
  other: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zm8 0v5h5",
  more: "M12 6.5v.01M12 12v.01M12 17.5v.01",
  upload: "M12 16V4m0 0L7 9m5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3",
  folderPlus: "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zm9 3v6m-3-3h6",
  grid: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
  list: "M8 6h12M8 12h12M8 18h12M4 6v.01M4 12v.01M4 18v.01",
  search: "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zm5-2 4 4",
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 12a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1l1-12M9 7V4h6v3",
  drive: "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z",
  close: "M6 6l12 12M18 6 6 18",
  pause: "M9 6v12M15 6v12",
  play: "M8 5v14l11-7z",
  retry: "M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4",
  chevron: "M9 6l6 6-6 6",
  up: "M6 15l6-6 6 6",
  back: "M15 6l-6 6 6 6",
  team: "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18.5 14a6.5 6.5 0 0 1 3 6",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  shared: "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zm9 5.5a2 2 0 1 0 0-.01M8.5 17a3.5 3.5 0 0 1 7 0",
  copy: "M9 9h10v10H9zM5 15V5h10",
  download: "M12 4v12m0 0-5-5m5 5 5-5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3",
  lock: "M6 11h12v9H6zM8 11V8a4 4 0 0 1 8 0v3",
  shield: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }): JSX.Element {
  return (
    <svg
      class={`icon icon--${name}`}
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

export function KindIcon({ category, size = 24 }: { category: FileCategory; size?: number }): JSX.Element {
  return (
    <span class={`kind kind--${category}`}>
      <Icon name={category} size={size} />
    </span>
  );
}

/** A node in a row: its thumbnail when it has one, else the icon of its kind. */
export function NodeIcon({ node }: { node: DriveNode }): JSX.Element {
  const thumbnail = useThumbnail(node);
  if (thumbnail) {
    return (
      <img
        class="thumb"
        src={thumbnail.url}
        alt=""
        width={32}
        height={32}
        loading="lazy"
        decoding="async"
        onError={thumbnail.fail}
      />
    );
  }
  return <KindIcon category={fileCategory(node)} />;
}

/**
 * A node's thumbnail URL while it works. The URLs are signed for a minute or so: one that
 * failed (expired before the browser fetched it) gives way to the icon until the node is
 * read again with a fresh URL.
 */
export function useThumbnail(node: DriveNode): { url: string; fail: () => void } | null {
  const [failed, setFailed] = useState<string | null>(null);
  const { thumbnail } = node;
  if (thumbnail.status !== "ready" || !thumbnail.url || thumbnail.url === failed) return null;
  const url = thumbnail.url;
  return {
    url,
    fail: () => {
      setFailed(url);
    },
  };
}
