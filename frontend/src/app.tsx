// The app shell: language and session state, the header, and the table of routes with who
// may see each one.
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError, type SiteConfig, type User } from "./api";
import { Header } from "./components/Header";
import { withFlash } from "./flash";
import { I18nContext, rememberLang, translate, type I18n, type Lang } from "./i18n";
import { Account } from "./pages/Account";
import { CheckEmail } from "./pages/CheckEmail";
import { Drive } from "./pages/Drive";
import { UploadTray } from "./pages/drive/UploadTray";
import { ForgotPassword } from "./pages/ForgotPassword";
import { ForgotUsername } from "./pages/ForgotUsername";
import { Admin } from "./pages/Admin";
import { NotFound } from "./pages/NotFound";
import { PublicShare } from "./pages/PublicShare";
import { ResetPassword } from "./pages/ResetPassword";
import { Search } from "./pages/Search";
import { SignIn } from "./pages/SignIn";
import { Shared } from "./pages/Shared";
import { SignUp } from "./pages/SignUp";
import { Team } from "./pages/Team";
import { Teams } from "./pages/Teams";
import { Trash } from "./pages/Trash";
import { VerifyEmail } from "./pages/VerifyEmail";
import { navigate, Redirect, safeNext, useLocation, type Location } from "./router";
import { SessionContext, type Session } from "./session";
import { UploaderContext } from "./upload-context";
import { Uploader } from "./uploads";

/** guest: only when signed out (signed-in people go on); user: only when signed in. */
type Access = "guest" | "user" | "any";

interface Route {
  access: Access;
  render: (user: User | null) => JSX.Element;
}

const ROUTES: Partial<Record<string, Route>> = {
  "/": { access: "any", render: (user) => <Redirect to={user ? "/drive" : "/signin"} /> },
  "/signin": { access: "guest", render: () => <SignIn /> },
  "/signup": { access: "guest", render: () => <SignUp /> },
  "/check-email": { access: "any", render: () => <CheckEmail /> },
  "/verify-email": { access: "any", render: () => <VerifyEmail /> },
  "/forgot-username": { access: "any", render: () => <ForgotUsername /> },
  "/forgot-password": { access: "any", render: () => <ForgotPassword /> },
  "/reset-password": { access: "any", render: () => <ResetPassword /> },
  "/account": { access: "user", render: (user) => (user ? <Account user={user} /> : <NotFound />) },
  "/drive": { access: "user", render: (user) => (user ? <Drive user={user} folderId={null} /> : <NotFound />) },
  "/trash": { access: "user", render: (user) => (user ? <Trash user={user} /> : <NotFound />) },
  "/search": { access: "user", render: (user) => (user ? <Search user={user} /> : <NotFound />) },
  "/shared": { access: "user", render: (user) => (user ? <Shared user={user} /> : <NotFound />) },
  "/teams": { access: "user", render: (user) => (user ? <Teams user={user} /> : <NotFound />) },
  // Operators only: everyone else gets the page that is not there.
  "/admin": { access: "user", render: (user) => (user?.is_admin ? <Admin user={user} /> : <NotFound />) },
};

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // not valid escapes: the server answers 404 for such an id
  }
}

/** Routes with a part of the path as a parameter: `/drive/{folder_id}`, `/teams/{id}`, `/s/{token}`. */
function paramRoute(location: Location, path: string): Route | undefined {
  const match = /^\/(drive|teams|s)\/([^/]+)$/.exec(path);
  const kind = match?.[1];
  const id = decoded(match?.[2] ?? "");
  if (kind === "drive") {
    return { access: "user", render: (user) => (user ? <Drive user={user} folderId={id} /> : <NotFound />) };
  }
  if (kind === "teams") {
    return { access: "user", render: (user) => (user ? <Team key={id} user={user} teamId={id} /> : <NotFound />) };
  }
  if (kind === "s") {
    // A share link works for anyone, signed in or not.
    const folderId = location.query.get("folder_id");
    return { access: "any", render: () => <PublicShare key={id} token={id} folderId={folderId} /> };
  }
  return undefined;
}

function here(location: Location): string {
  return location.path + (location.query.size > 0 ? `?${location.query.toString()}` : "");
}

function pageFor(location: Location, user: User | null): JSX.Element {
  const path = location.path.length > 1 ? location.path.replace(/\/+$/, "") : location.path;
  const route = ROUTES[path] ?? paramRoute(location, path);
  if (!route) return <NotFound />;
  if (route.access === "user" && !user) {
    return <Redirect to={`/signin?next=${encodeURIComponent(here(location))}`} />;
  }
  if (route.access === "guest" && user) return <Redirect to={safeNext(location.query.get("next"))} />;
  return route.render(user);
}

export interface AppProps {
  config: SiteConfig;
  initialUser: User | null;
  initialLang: Lang;
}

export function App({ config, initialUser, initialLang }: AppProps): JSX.Element {
  const [lang, setLang] = useState(initialLang);
  const [user, setUser] = useState(initialUser);
  const location = useLocation();
  const signedIn = useRef(user !== null);
  const userId = user?.id ?? null;
  // One uploader per signed-in person: uploads go on while they move between pages.
  const uploader = useMemo(() => (userId === null ? null : new Uploader(api, userId)), [userId]);
  useEffect(
    () => () => {
      uploader?.destroy();
    },
    [uploader],
  );
  signedIn.current = user !== null;

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    // A session that can no longer be refreshed: back to sign-in, then back here.
    api.setSessionExpiredHandler(() => {
      if (!signedIn.current) return;
      setUser(null);
      const next = `${window.location.pathname}${window.location.search}`;
      navigate(`/signin?next=${encodeURIComponent(next)}`, {
        replace: true,
        state: withFlash("flash.session_expired"),
      });
    });
  }, []);

  const i18n = useMemo<I18n>(
    () => ({
      lang,
      setLang: (next) => {
        rememberLang(next);
        setLang(next);
      },
      t: (key, params) => translate(lang, key, params),
    }),
    [lang],
  );

  const session = useMemo<Session>(
    () => ({
      user,
      config,
      setUser,
      signOut: async (everywhere = false) => {
        try {
          await (everywhere ? api.logoutAll() : api.logout());
        } catch (error) {
          // Already signed out on the server is still signed out.
          if (!(error instanceof ApiError && error.status === 401)) throw error;
        }
        setUser(null);
        navigate("/signin", {
          replace: true,
          state: withFlash(everywhere ? "flash.signed_out_everywhere" : "flash.signed_out"),
        });
      },
    }),
    [user, config],
  );

  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={session}>
        <UploaderContext.Provider value={uploader}>
          <a class="skip-link" href="#main">
            {i18n.t("header.skip")}
          </a>
          <Header />
          <main id="main" class="main" tabIndex={-1}>
            {pageFor(location, user)}
          </main>
          <UploadTray />
        </UploaderContext.Provider>
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}
