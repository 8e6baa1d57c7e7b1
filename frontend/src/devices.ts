// The signed-in devices without the DOM: reading them (this one first), signing one out (one
// that had ended meanwhile is gone too), and how a row names its device.
import { ApiError, type ApiClient, type SignedInSession } from "./api";

/** The account's sessions, this device's first, then the most recently used. */
export async function readSessions(client: ApiClient): Promise<SignedInSession[]> {
  const items = await client.sessions();
  const used = (s: SignedInSession): string => s.last_used_at ?? s.created_at ?? "";
  return [...items].sort((a, b) => Number(b.current) - Number(a.current) || used(b).localeCompare(used(a)));
}

/**
 * Signs one session out. "ended" when this call ended it, "gone" when it had ended already
 * (404): either way it is signed out. Anything else is thrown and the session stays listed.
 */
export async function endSession(client: ApiClient, sessionId: string): Promise<"ended" | "gone"> {
  try {
    await client.endSession(sessionId);
    return "ended";
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return "gone";
    throw error;
  }
}

export function withoutSession(items: readonly SignedInSession[], sessionId: string): SignedInSession[] {
  return items.filter((item) => item.id !== sessionId);
}

/** The device's name as the server read it, or `unknown` when it could not. */
export function deviceName(session: SignedInSession, unknown: string): string {
  return session.device ?? unknown;
}
