// The API's records as tests build them: whole and valid, with only what a test is about
// given as overrides.
import type { AdminUser, DriveNode, User } from "../api";

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: "u1",
    username: "mina",
    email: "mina@example.com",
    email_verified: true,
    nickname: null,
    phone: null,
    phone_verified: false,
    is_admin: false,
    created_at: "2026-11-23T12:00:00Z",
    storage: { quota_bytes: 1024, used_bytes: 0, file_count: 0, root_folder_id: "r1" },
    ...overrides,
  };
}

export function makeAdminUser(overrides: Partial<AdminUser> = {}): AdminUser {
  return { ...makeUser(), disabled: false, ...overrides };
}

export function makeNode(overrides: Partial<DriveNode> = {}): DriveNode {
  return {
    id: "n1",
    kind: "file",
    name: "photo.jpg",
    parent_id: "root",
    owner_id: "u1",
    size: 10,
    content_type: "image/jpeg",
    created_at: "2026-11-23T12:00:00Z",
    updated_at: "2026-11-23T12:00:00Z",
    status: "ready",
    thumbnail: { status: "none" },
    access: "owner",
    ...overrides,
  };
}
