// Uploads that a reload (or a closed tab) interrupted, remembered in localStorage so the
// person can pick the same file again and send only the parts S3 does not hold yet. A file
// is recognised by its folder, name, size and last-modified time: the browser gives a page
// no other way to know it is the same file.

export interface UnfinishedUpload {
  upload_id: string;
  user_id: string;
  parent_id: string;
  name: string;
  size: number;
  last_modified: number;
  part_count: number;
  saved_at: number;
}

/** What identifies a picked file: enough to tell it is the one an upload started with. */
export interface PickedFile {
  name: string;
  size: number;
  lastModified: number;
}

const KEY = "teamdrive.uploads";
/** The server aborts uploads not completed within a day; older entries are dead. */
const LIFETIME_MS = 24 * 60 * 60 * 1000;

export function sameFile(entry: UnfinishedUpload, parentId: string, file: PickedFile): boolean {
  return (
    entry.parent_id === parentId &&
    entry.name === file.name &&
    entry.size === file.size &&
    entry.last_modified === file.lastModified
  );
}

type KeyValueStore = Pick<Storage, "getItem" | "setItem">;

function browserStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage can be off (private mode, policy)
  }
}

function isEntry(value: unknown): value is UnfinishedUpload {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.upload_id === "string" &&
    typeof entry.user_id === "string" &&
    typeof entry.parent_id === "string" &&
    typeof entry.name === "string" &&
    typeof entry.size === "number" &&
    typeof entry.last_modified === "number" &&
    typeof entry.part_count === "number" &&
    typeof entry.saved_at === "number"
  );
}

export class ResumeStore {
  private readonly storage: KeyValueStore | null;
  private readonly now: () => number;

  constructor(options: { storage?: KeyValueStore | null; now?: () => number } = {}) {
    this.storage = options.storage === undefined ? browserStorage() : options.storage;
    this.now = options.now ?? Date.now;
  }

  /** The user's unfinished uploads, newest first. */
  list(userId: string): UnfinishedUpload[] {
    return this.read()
      .filter((entry) => entry.user_id === userId)
      .sort((a, b) => b.saved_at - a.saved_at);
  }

  find(userId: string, parentId: string, file: PickedFile): UnfinishedUpload | null {
    return this.list(userId).find((entry) => sameFile(entry, parentId, file)) ?? null;
  }

  save(entry: Omit<UnfinishedUpload, "saved_at">): void {
    const kept = this.read().filter((each) => each.upload_id !== entry.upload_id);
    this.write([...kept, { ...entry, saved_at: this.now() }]);
  }

  forget(uploadId: string): void {
    const entries = this.read();
    const kept = entries.filter((entry) => entry.upload_id !== uploadId);
    if (kept.length !== entries.length) this.write(kept);
  }

  private read(): UnfinishedUpload[] {
    let raw: string | null;
    try {
      raw = this.storage?.getItem(KEY) ?? null;
    } catch {
      return [];
    }
    if (raw === null) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return [];
    }
    const oldest = this.now() - LIFETIME_MS;
    return Array.isArray(parsed) ? parsed.filter(isEntry).filter((entry) => entry.saved_at > oldest) : [];
  }

  private write(entries: UnfinishedUpload[]): void {
    try {
      this.storage?.setItem(KEY, JSON.stringify(entries));
    } catch {
      // Full or off: this upload just cannot be resumed after a reload.
    }
  }
}
