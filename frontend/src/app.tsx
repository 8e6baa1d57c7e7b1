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
import { ForgotPassword } from "./pages/ForgotPassword";
import { ForgotUsername } from "./pages/ForgotUsername";
import { NotFound } from "./pages/NotFound";
import { ResetPassword } from "./pages/ResetPassword";
import { SignIn } from "./pages/SignIn";
import { SignUp } from "./pages/SignUp";
import { VerifyEmail } from "./pages/VerifyEmail";
import { navigate, Redirect, safeNext, useLocation, type Location } from "./router";
import { SessionContext, type Session } from "./session";

/** guest: only when signed out (signed-in people go on); user: only when signed in. */
type Access = "guest" | "user" | "any";

interface Route {
  access: Access;
  render: (user: User | null) => JSX.Element;
}

const ROUTES: Partial<Record<string, Route>> = {
  "/": { access: "any", render: (user) => <Redirect to={user ? "/account" : "/signin"} /> },
  "/signin": { access: "guest", render: () => <SignIn /> },
  "/signup": { access: "guest", render: () => <SignUp /> },
  "/check-email": { access: "any", render: () => <CheckEmail /> },
  "/verify-email": { access: "any", render: () => <VerifyEmail /> },
  "/forgot-username": { access: "any", render: () => <ForgotUsername /> },
  "/forgot-password": { access: "any", render: () => <ForgotPassword /> },
  "/reset-password": { access: "any", render: () => <ResetPassword /> },
  "/account": { access: "user", render: (user) => (user ? <Account user={user} /> : <NotFound />) },
};

function here(location: Location): string {
  return location.path + (location.query.size > 0 ? `?${location.query.toString()}` : "");
}

function pageFor(location: Location, user: User | null): JSX.Element {
  const path = location.path.length > 1 ? location.path.replace(/\/+$/, "") : location.path;
  const route = ROUTES[path];
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
        <a class="skip-link" href="#main">
          {i18n.t("header.skip")}
        </a>
        <Header />
        <main id="main" class="main" tabIndex={-1}>
          {pageFor(location, user)}
        </main>
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}
