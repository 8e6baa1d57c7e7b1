// The one typed client of the teamdrive HTTP API (shared/API.md). It owns the cookie
// session's rules: same-origin credentials, the CSRF header on unsafe requests, one refresh
// and one retry after a 401, and turning every failure into an ApiError.

export interface Storage {
  quota_bytes: number;
  used_bytes: number;
  file_count: number;
  root_folder_id: string;
}

/** One signed-in device: a session of the account (GET /auth/sessions). */
export interface SignedInSession {
  id: string;
  /** "Chrome on macOS"; null when the sign-in's browser was not recognised. */
  device: string | null;
  /** The network signed in from, coarsely ("203.0.113.0/24"). */
  network: string | null;
  created_at: string | null;
  last_used_at: string | null;
  /** The session of this browser. */
  current: boolean;
}

export interface User {
  id: string;
  username: string;
  email: string;
  email_verified: boolean;
  nickname: string | null;
  phone: string | null;
  phone_verified: boolean;
  is_admin: boolean;
  created_at: string;
  storage: Storage;
}

export interface SiteConfig {
  google_client_id: string | null;
  /** Providers the local development identity provider plays (never set when deployed). */
  dev_idp: string[];
}

/** A way in that `GET /auth/providers` names: one button each. */
export interface SignInProvider {
  id: string;
  name: string;
  kind: string;
}

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  nickname?: string;
  phone?: string;
}

export interface ProfileUpdate {
  nickname?: string | null;
  phone?: string | null;
}

export type NodeKind = "file" | "folder";
/** What the caller may do with a node: their own, or shared with them to write or to read. */
export type NodeAccess = "owner" | "write" | "read";

export interface Thumbnail {
  status: "pending" | "ready" | "failed" | "none";
  /** Fits 256 px; a signed URL that lives about a minute. */
  url?: string;
  preview_url?: string;
  width?: number;
  height?: number;
}

/** A file or folder (`node` in the contract; DOM's `Node` is another thing). */
export interface DriveNode {
  id: string;
  kind: NodeKind;
  name: string;
  parent_id: string | null;
  owner_id: string;
  size: number;
  content_type: string | null;
  created_at: string;
  updated_at: string;
  status: "uploading" | "ready" | "trashed";
  thumbnail: Thumbnail;
  media?: { width?: number; height?: number; duration_s?: number };
  child_count?: number;
  total_size?: number;
  access: NodeAccess;
  /** Only on the top items of the trash. */
  trashed_at?: string;
}

export interface Crumb {
  id: string;
  name: string;
}

/** One page of a list: `next_cursor` continues it, null at the end. */
export interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface FolderPage extends ListPage<DriveNode> {
  folder: DriveNode;
  path: Crumb[];
}

export const SORTS = ["name", "-name", "created", "-created", "size", "-size"] as const;
export type Sort = (typeof SORTS)[number];

export interface ListParams {
  limit?: number;
  cursor?: string | null;
}

export interface StartUploadInput {
  parent_id: string;
  name: string;
  size: number;
  content_type: string;
  on_conflict?: "rename" | "fail";
}

export interface UploadStarted {
  upload_id: string;
  file: DriveNode;
  part_size: number;
  part_count: number;
  /** The presigned PUT of the one part (the whole file), only when `part_count` is 1. */
  url?: string;
  expires_at?: string;
}

/** An upload still filling someone's drive, as its owner sees it: who sends it, where, how big. */
export interface UploadInProgress {
  upload_id: string;
  name: string;
  parent_id: string | null;
  /** Null when the folder it goes into is gone. */
  folder_name: string | null;
  /** The declared size, which it holds of the drive's quota until it completes or is cancelled. */
  size: number;
  uploaded_by: Person;
  started_at: string;
}

export interface UploadPart {
  part_number: number;
  etag: string;
  size: number;
}

export interface UploadParts {
  parts: UploadPart[];
  part_size: number;
  part_count: number;
}

export interface PartUrls {
  urls: Record<string, string>;
  expires_at: string;
}

/** Someone as other people see them; `username` and `nickname` are null once they left. */
export interface Person {
  id: string;
  username: string | null;
  nickname: string | null;
}

export interface Team {
  id: string;
  name: string;
  leader_id: string;
  member_count: number;
  created_at: string;
}

export interface TeamMember extends Person {
  role: "leader" | "member";
  joined_at: string;
}

export interface TeamInvitation {
  user: Person;
  invited_at: string;
}

export type FolderAccess = "read" | "write";

export interface SharedFolder {
  folder_id: string;
  name: string;
  access: FolderAccess;
  owner_id: string;
  shared_by: Person;
  shared_at: string;
}

export interface TeamDetail {
  team: Team;
  members: TeamMember[];
  /** Only for the leader. */
  invitations?: TeamInvitation[];
  shared_folders: SharedFolder[];
}

/** An invitation for the signed-in person. */
export interface PendingInvitation {
  team: Team;
  invited_by: Person;
  invited_at: string;
}

export interface TypeUsage {
  count: number;
  bytes: number;
}

export const USAGE_TYPES = ["image", "video", "audio", "document", "archive", "other"] as const;
export type UsageType = (typeof USAGE_TYPES)[number];

export interface UsageStats {
  quota_bytes: number;
  used_bytes: number;
  trash_bytes: number;
  file_count: number;
  folder_count: number;
  by_type: Record<UsageType, TypeUsage>;
  reserved_bytes?: number;
  free_bytes?: number;
}

export type ShareStatus = "active" | "revoked" | "expired" | "used_up";

/** A share link as its maker sees it (never its token). */
export interface Share {
  id: string;
  node_id: string;
  created_at: string;
  expires_at: string;
  password_required: boolean;
  max_downloads: number | null;
  downloads: number;
  status: ShareStatus;
}

export interface NewShare {
  node_id: string;
  expires_in: number;
  password?: string;
  max_downloads?: number;
}

export interface PublicItem {
  id: string;
  name: string;
  kind: NodeKind;
  size: number;
  content_type: string | null;
  updated_at: string;
  thumbnail_url?: string;
}

/** What a share link shows; `items`, `next_cursor` and `path` only for an open folder. */
export interface PublicShare extends PublicItem {
  expires_at: string;
  password_required: boolean;
  items?: PublicItem[];
  next_cursor?: string | null;
  path?: Crumb[];
}

export interface AdminStats {
  users: number;
  files: number;
  bytes: number;
  pending_uploads: number;
  failed_thumbnails: number;
  computed_at: string;
}

/** An account as operators see it. */
export interface AdminUser extends User {
  disabled: boolean;
}

export interface AdminUserChange {
  quota_bytes?: number;
  disabled?: boolean;
  is_admin?: boolean;
}

/** `?a=1&b=2` from the values that are set, or "" when none is. */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}

/** One path segment of a URL: ids are opaque, so escape them. */
const seg = encodeURIComponent;

export type ErrorDetails = Record<string, unknown> & { fields?: Record<string, string> };

/** An error answer of the API, or a failure to reach it (`code: "network"`, `status: 0`). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  /** Field name → reason, from `details.fields`; empty when the server named none. */
  readonly fields: Record<string, string>;
  /** Seconds to wait, from the `Retry-After` header (429, 503); null when absent. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: ErrorDetails;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    this.fields = this.details.fields ?? {};
    this.retryAfter = init.retryAfter ?? null;
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const CSRF_COOKIE = "td_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
export const SHARE_PASSWORD_HEADER = "X-Share-Password";

function documentCookies(): string {
  return typeof document === "undefined" ? "" : document.cookie;
}

/** The value of a cookie readable by script, or null. */
export function readCookie(name: string, cookies: string = documentCookies()): string | null {
  for (const part of cookies.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return null;
}

/** `Retry-After` as seconds from now: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date names a weekday and a month; anything else is not one.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringFields(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, reason] of Object.entries(value)) {
    out[key] = typeof reason === "string" ? reason : JSON.stringify(reason);
  }
  return out;
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to the status.
  }
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === "string") {
    const details: ErrorDetails = isRecord(error.details) ? { ...error.details } : {};
    const fields = stringFields(details.fields);
    if (fields) details.fields = fields;
    else delete details.fields;
    return new ApiError({
      status: response.status,
      code: error.code,
      message: typeof error.message === "string" ? error.message : response.statusText,
      details,
      retryAfter,
    });
  }
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? "internal" : `http_${String(response.status)}`,
    message: response.statusText || `HTTP ${String(response.status)}`,
    retryAfter,
  });
}

export interface ApiClientOptions {
  /** Where the API lives; `/api` on the site's own origin. */
  baseUrl?: string;
  /** Called when a session could not be refreshed, so the app can show sign-in. */
  onSessionExpired?: () => void;
}

export class ApiClient {
  private readonly baseUrl: string;
  private onSessionExpired: () => void;
  private refreshing: Promise<boolean> | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? "/api").replace(/\/+$/, "");
    this.onSessionExpired = options.onSessionExpired ?? (() => undefined);
  }

  setSessionExpiredHandler(handler: () => void): void {
    this.onSessionExpired = handler;
  }

  /** Sends one request; answers the parsed JSON body (undefined for an empty one). */
  async request<T>(method: Method, path: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
    const response = await this.send(method, path, body, extra);
    if (response.ok) return parseBody<T>(response);

    if (response.status === 401 && !path.startsWith("/auth/")) {
      const first = await errorFromResponse(response);
      // A wrong password given to a signed-in route is not a lost session.
      if (first.code === "invalid_credentials") throw first;
      if (!(await this.refreshOnce())) {
        this.onSessionExpired();
        throw first;
      }
      const retried = await this.send(method, path, body, extra);
      if (retried.ok) return parseBody<T>(retried);
      throw await errorFromResponse(retried);
    }
    throw await errorFromResponse(response);
  }

  /** One refresh shared by every request that met a 401 at the same time. */
  private refreshOnce(): Promise<boolean> {
    this.refreshing ??= this.send("POST", "/auth/refresh")
      .then((response) => response.ok)
      .catch(() => false)
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async send(
    method: Method,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...extra, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") {
      const token = readCookie(CSRF_COOKIE);
      if (token !== null) headers[CSRF_HEADER] = token;
    }
    const init: RequestInit = { method, headers, credentials: "same-origin" };
    if (body !== undefined) init.body = JSON.stringify(body);
    try {
      return await fetch(this.baseUrl + path, init);
    } catch (cause) {
      throw new ApiError({
        status: 0,
        code: "network",
        message: cause instanceof Error ? cause.message : "Network error",
      });
    }
  }

  // --- accounts and sessions -------------------------------------------------------------

  register(input: RegisterInput): Promise<User> {
    return this.request<{ user: User }>("POST", "/auth/register", input).then(userOf);
  }
  verifyEmail(token: string): Promise<User> {
    return this.request<{ user: User }>("POST", "/auth/verify-email", { token }).then(userOf);
  }
  resendVerification(email: string): Promise<void> {
    return this.request("POST", "/auth/resend-verification", { email });
  }
  login(login: string, password: string): Promise<User> {
    return this.request<{ user: User }>("POST", "/auth/login", { login, password }).then(userOf);
  }
  logout(): Promise<void> {
    return this.request("POST", "/auth/logout");
  }
  logoutAll(): Promise<void> {
    return this.request("POST", "/auth/logout-all");
  }
  sessions(): Promise<SignedInSession[]> {
    return this.request<{ items: SignedInSession[] }>("GET", "/auth/sessions").then((reply) => reply.items);
  }
  endSession(sessionId: string): Promise<void> {
    return this.request("DELETE", `/auth/sessions/${seg(sessionId)}`);
  }
  google(credential: string): Promise<{ user: User; created: boolean }> {
    return this.request("POST", "/auth/google", { credential });
  }
  providers(): Promise<SignInProvider[]> {
    return this.request<{ items: SignInProvider[] }>("GET", "/auth/providers").then((reply) => reply.items);
  }
  forgotUsername(email: string): Promise<void> {
    return this.request("POST", "/auth/forgot-username", { email });
  }
  forgotPassword(login: string): Promise<void> {
    return this.request("POST", "/auth/forgot-password", { login });
  }
  resetPassword(token: string, password: string): Promise<void> {
    return this.request("POST", "/auth/reset-password", { token, password });
  }
  sendPhoneCode(phone: string): Promise<void> {
    return this.request("POST", "/auth/phone/code", { phone });
  }
  verifyPhone(phone: string, code: string): Promise<User> {
    return this.request<{ user: User }>("POST", "/auth/phone/verify", { phone, code }).then(userOf);
  }

  // --- the signed-in user ----------------------------------------------------------------

  me(): Promise<User> {
    return this.request<{ user: User }>("GET", "/users/me").then(userOf);
  }
  updateMe(update: ProfileUpdate): Promise<User> {
    return this.request<{ user: User }>("PATCH", "/users/me", update).then(userOf);
  }
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.request("POST", "/users/me/password", {
      current_password: currentPassword,
      new_password: newPassword,
    });
  }
  deleteMe(password?: string): Promise<void> {
    return this.request("DELETE", "/users/me", password === undefined ? {} : { password });
  }

  // --- files and folders -----------------------------------------------------------------

  folder(folderId: string, params: ListParams & { sort?: Sort } = {}): Promise<FolderPage> {
    const query = queryString({ sort: params.sort, limit: params.limit, cursor: params.cursor });
    return this.request("GET", `/folders/${seg(folderId)}${query}`);
  }
  createFolder(parentId: string, name: string): Promise<DriveNode> {
    return this.request<{ node: DriveNode }>("POST", "/folders", { parent_id: parentId, name }).then(nodeOf);
  }
  node(nodeId: string): Promise<DriveNode> {
    return this.request<{ node: DriveNode }>("GET", `/nodes/${seg(nodeId)}`).then(nodeOf);
  }
  /** Rename (`name`), move (`parent_id`), or both at once. */
  updateNode(nodeId: string, change: { name?: string; parent_id?: string }): Promise<DriveNode> {
    return this.request<{ node: DriveNode }>("PATCH", `/nodes/${seg(nodeId)}`, change).then(nodeOf);
  }
  trashNode(nodeId: string): Promise<void> {
    return this.request("DELETE", `/nodes/${seg(nodeId)}`);
  }
  search(q: string, params: ListParams & { type?: string } = {}): Promise<ListPage<DriveNode>> {
    const query = queryString({ q, type: params.type, limit: params.limit, cursor: params.cursor });
    return this.request("GET", `/search${query}`);
  }
  downloadLink(fileId: string): Promise<{ url: string; expires_at: string }> {
    return this.request("GET", `/files/${seg(fileId)}/download?redirect=0`);
  }

  // --- trash ------------------------------------------------------------------------------

  trash(params: ListParams = {}): Promise<ListPage<DriveNode>> {
    return this.request("GET", `/trash${queryString({ limit: params.limit, cursor: params.cursor })}`);
  }
  restore(nodeId: string): Promise<DriveNode> {
    return this.request<{ node: DriveNode }>("POST", `/trash/${seg(nodeId)}/restore`).then(nodeOf);
  }
  deleteForever(nodeId: string): Promise<void> {
    return this.request("DELETE", `/trash/${seg(nodeId)}`);
  }
  emptyTrash(): Promise<void> {
    return this.request("DELETE", "/trash");
  }

  // --- teams ------------------------------------------------------------------------------

  teams(params: ListParams = {}): Promise<ListPage<Team>> {
    return this.request("GET", `/teams${queryString({ limit: params.limit, cursor: params.cursor })}`);
  }
  createTeam(name: string): Promise<Team> {
    return this.request<{ team: Team }>("POST", "/teams", { name }).then(teamOf);
  }
  team(teamId: string): Promise<TeamDetail> {
    return this.request("GET", `/teams/${seg(teamId)}`);
  }
  /** Rename (`name`) or hand the team to another member (`leader_id`). */
  updateTeam(teamId: string, change: { name?: string; leader_id?: string }): Promise<Team> {
    return this.request<{ team: Team }>("PATCH", `/teams/${seg(teamId)}`, change).then(teamOf);
  }
  deleteTeam(teamId: string): Promise<void> {
    return this.request("DELETE", `/teams/${seg(teamId)}`);
  }
  invite(teamId: string, who: { username: string } | { email: string }): Promise<TeamInvitation> {
    return this.request<{ invitation: TeamInvitation }>("POST", `/teams/${seg(teamId)}/invitations`, who).then(
      (reply) => reply.invitation,
    );
  }
  cancelInvitation(teamId: string, userId: string): Promise<void> {
    return this.request("DELETE", `/teams/${seg(teamId)}/invitations/${seg(userId)}`);
  }
  acceptInvitation(teamId: string): Promise<Team> {
    return this.request<{ team: Team }>("POST", `/teams/${seg(teamId)}/invitations/accept`).then(teamOf);
  }
  declineInvitation(teamId: string): Promise<void> {
    return this.request("POST", `/teams/${seg(teamId)}/invitations/decline`);
  }
  /** The leader removes a member; `"me"` leaves. */
  removeMember(teamId: string, userId: string): Promise<void> {
    return this.request("DELETE", `/teams/${seg(teamId)}/members/${seg(userId)}`);
  }
  shareFolder(teamId: string, folderId: string, access: FolderAccess): Promise<void> {
    return this.request("POST", `/teams/${seg(teamId)}/shared-folders`, { folder_id: folderId, access });
  }
  unshareFolder(teamId: string, folderId: string): Promise<void> {
    return this.request("DELETE", `/teams/${seg(teamId)}/shared-folders/${seg(folderId)}`);
  }
  myInvitations(params: ListParams = {}): Promise<ListPage<PendingInvitation>> {
    return this.request("GET", `/users/me/invitations${queryString({ limit: params.limit, cursor: params.cursor })}`);
  }
  /** Up to 10 people whose username starts with `q`. */
  searchUsers(q: string): Promise<Person[]> {
    return this.request<{ items: Person[] }>("GET", `/users/search${queryString({ q })}`).then((reply) => reply.items);
  }
  stats(): Promise<UsageStats> {
    return this.request("GET", "/users/me/stats");
  }

  // --- share links ------------------------------------------------------------------------

  createShare(input: NewShare): Promise<{ share: Share; url: string }> {
    return this.request("POST", "/shares", input);
  }
  shares(nodeId: string, params: ListParams = {}): Promise<ListPage<Share>> {
    return this.request("GET", `/shares${queryString({ node_id: nodeId, limit: params.limit, cursor: params.cursor })}`);
  }
  revokeShare(shareId: string): Promise<void> {
    return this.request("DELETE", `/shares/${seg(shareId)}`);
  }
  /** What a link shows; anyone may ask, signed in or not. */
  publicShare(
    token: string,
    options: { folderId?: string | null; cursor?: string | null; password?: string | null } = {},
  ): Promise<PublicShare> {
    const query = queryString({ folder_id: options.folderId, cursor: options.cursor });
    const headers: Record<string, string> = {};
    if (options.password) headers[SHARE_PASSWORD_HEADER] = options.password;
    return this.request("GET", `/public/shares/${seg(token)}${query}`, undefined, headers);
  }
  publicDownload(
    token: string,
    options: { fileId?: string | null; password?: string | null } = {},
  ): Promise<{ url: string; expires_at: string }> {
    const body: Record<string, string> = {};
    if (options.fileId) body.file_id = options.fileId;
    if (options.password) body.password = options.password;
    return this.request("POST", `/public/shares/${seg(token)}/download`, body);
  }

  // --- operators --------------------------------------------------------------------------

  adminStats(): Promise<AdminStats> {
    return this.request("GET", "/admin/stats");
  }
  adminUsers(params: ListParams & { q?: string } = {}): Promise<ListPage<AdminUser>> {
    return this.request("GET", `/admin/users${queryString({ q: params.q, limit: params.limit, cursor: params.cursor })}`);
  }
  updateAdminUser(userId: string, change: AdminUserChange): Promise<AdminUser> {
    return this.request<{ user: AdminUser }>("PATCH", `/admin/users/${seg(userId)}`, change).then(
      (reply) => reply.user,
    );
  }

  // --- uploads (the bytes go straight to S3) ----------------------------------------------

  startUpload(input: StartUploadInput): Promise<UploadStarted> {
    return this.request("POST", "/uploads", input);
  }
  signParts(uploadId: string, partNumbers: number[]): Promise<PartUrls> {
    return this.request("POST", `/uploads/${seg(uploadId)}/parts`, { part_numbers: partNumbers });
  }
  uploadParts(uploadId: string): Promise<UploadParts> {
    return this.request("GET", `/uploads/${seg(uploadId)}/parts`);
  }
  /** `parts` for a multipart upload; none for a single PUT. */
  completeUpload(uploadId: string, parts?: { part_number: number; etag: string }[]): Promise<DriveNode> {
    const body = parts === undefined ? undefined : { parts };
    return this.request<{ file: DriveNode }>("POST", `/uploads/${seg(uploadId)}/complete`, body).then(
      (reply) => reply.file,
    );
  }
  /** The uploads in progress into the caller's drive (theirs and members'), oldest first. */
  uploadsInProgress(params: ListParams = {}): Promise<ListPage<UploadInProgress>> {
    return this.request("GET", `/uploads${queryString({ limit: params.limit, cursor: params.cursor })}`);
  }
  /** Cancels an upload the caller started, or any upload into their drive. */
  abortUpload(uploadId: string): Promise<void> {
    return this.request("DELETE", `/uploads/${seg(uploadId)}`);
  }
}

function userOf(body: { user: User }): User {
  return body.user;
}

function teamOf(body: { team: Team }): Team {
  return body.team;
}

function nodeOf(body: { node: DriveNode }): DriveNode {
  return body.node;
}

async function parseBody<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

export const NO_SITE_CONFIG: SiteConfig = { google_client_id: null, dev_idp: [] };

/** The site's runtime settings; a missing or broken file means no optional features. */
export async function loadSiteConfig(url = "/config.json"): Promise<SiteConfig> {
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return { ...NO_SITE_CONFIG };
    const body: unknown = await response.json();
    const id = isRecord(body) ? body.google_client_id : null;
    const played = isRecord(body) && Array.isArray(body.dev_idp) ? body.dev_idp : [];
    return {
      google_client_id: typeof id === "string" && id !== "" ? id : null,
      dev_idp: played.filter((p): p is string => typeof p === "string" && p !== ""),
    };
  } catch {
    return { ...NO_SITE_CONFIG };
  }
}

/** The app's client: the API on the site's own origin. */
export const api = new ApiClient();
