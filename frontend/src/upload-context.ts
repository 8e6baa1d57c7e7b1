// The signed-in person's uploader, shared by every page (uploads go on while they browse),
// and a hook that redraws a component as its uploads progress.
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { Uploader, UploadsSnapshot } from "./uploads";

export const UploaderContext = createContext<Uploader | null>(null);

export function useUploader(): Uploader | null {
  return useContext(UploaderContext);
}

const NOTHING: UploadsSnapshot = { items: [], percent: 0, active: 0 };

export function useUploads(uploader: Uploader | null): UploadsSnapshot {
  const [snapshot, setSnapshot] = useState(() => uploader?.snapshot() ?? NOTHING);
  useEffect(() => {
    if (!uploader) {
      setSnapshot(NOTHING);
      return;
    }
    setSnapshot(uploader.snapshot());
    return uploader.subscribe(setSnapshot);
  }, [uploader]);
  return snapshot;
}
