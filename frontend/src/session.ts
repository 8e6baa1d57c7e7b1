// Who is signed in, shared with every page. The app shell owns the state; pages read it
// and report changes (a fresh user object after an edit, null after signing out).
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { NO_SITE_CONFIG, type SiteConfig, type User } from "./api";

export interface Session {
  user: User | null;
  config: SiteConfig;
  setUser: (user: User | null) => void;
  /** Ends this session (or every session of the user) and shows the sign-in page. */
  signOut: (everywhere?: boolean) => Promise<void>;
}

export const SessionContext = createContext<Session>({
  user: null,
  config: NO_SITE_CONFIG,
  setUser: () => undefined,
  signOut: () => Promise.resolve(),
});

export function useSession(): Session {
  return useContext(SessionContext);
}
