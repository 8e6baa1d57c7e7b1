// The emailed link lands here: the token is posted once, then dropped from the address bar
// so it does not linger in history. A dead link offers to send a new one.
import type { JSX } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { Button } from "../components/Button";
import { Notice } from "../components/Notice";
import { Page } from "../components/Page";
import { ResendVerification } from "../components/ResendVerification";
import { Working } from "../components/Working";
import { describeError } from "../errors";
import { useI18n } from "../i18n";
import { Link, useLocation } from "../router";
import { useSession } from "../session";

type State = { kind: "working" } | { kind: "done" } | { kind: "failed"; error: unknown; retry: boolean };

/** Failures that say nothing about the link itself: trying again may work. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === "network" || error.code === "rate_limited" || error.code === "csrf_failed" || error.status >= 500)
  );
}

export function VerifyEmail(): JSX.Element {
  const { t, lang } = useI18n();
  const { user, setUser } = useSession();
  const location = useLocation();
  const [token] = useState(() => location.query.get("token") ?? "");
  const [state, setState] = useState<State>(
    token === "" ? { kind: "failed", error: null, retry: false } : { kind: "working" },
  );
  const started = useRef(false);

  const verify = useCallback((): void => {
    setState({ kind: "working" });
    api
      .verifyEmail(token)
      .then((verified) => {
        // Already signed in (in this browser): show the fresh "verified" state at once.
        if (user?.id === verified.id) setUser(verified);
        setState({ kind: "done" });
      })
      .catch((error: unknown) => {
        setState({ kind: "failed", error, retry: isTransient(error) });
      });
  }, [token, user, setUser]);

  useEffect(() => {
    if (token === "" || started.current) return;
    started.current = true;
    window.history.replaceState(window.history.state, "", "/verify-email");
    verify();
  }, [token, verify]);

  if (state.kind === "working") {
    return (
      <Page title={t("verify.title")}>
        <Working>{t("verify.working")}</Working>
      </Page>
    );
  }

  if (state.kind === "done") {
    return (
      <Page title={t("verify.done_title")}>
        <div class="stack">
          <Notice kind="success">{t("verify.done")}</Notice>
          {user ? (
            <Link class="button button--primary" href="/account">
              {t("verify.to_account")}
            </Link>
          ) : (
            <Link class="button button--primary" href="/signin">
              {t("verify.to_signin")}
            </Link>
          )}
        </div>
      </Page>
    );
  }

  return (
    <Page title={t("verify.failed_title")}>
      <div class="stack">
        {state.retry ? (
          <>
            <Notice kind="error">{describeError(state.error, t, lang)}</Notice>
            <Button onClick={verify}>{t("verify.retry")}</Button>
          </>
        ) : (
          <Notice kind="error">{token === "" ? t("verify.missing") : t("verify.failed")}</Notice>
        )}
        <h2 class="section__title">{t("verify.resend_title")}</h2>
        <ResendVerification email={user?.email ?? ""} intro={t("verify.resend_intro")} />
      </div>
    </Page>
  );
}
