// "Continue with Google", shown only when the site is configured for it. Signing in with a
// Google account that has no teamdrive account yet creates one.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type User } from "../api";
import { renderGoogleButton } from "../google";
import { useI18n } from "../i18n";
import { ErrorNotice } from "./ErrorNotice";
import { Notice } from "./Notice";

export function GoogleButton({ clientId, onSignedIn }: { clientId: string; onSignedIn: (user: User) => void }): JSX.Element {
  const { t, lang } = useI18n();
  const slot = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unavailable, setUnavailable] = useState(false);
  const signedIn = useRef(onSignedIn);
  signedIn.current = onSignedIn;

  useEffect(() => {
    const parent = slot.current;
    if (!parent) return;
    parent.replaceChildren();
    const width = Math.min(400, Math.max(200, Math.floor(parent.getBoundingClientRect().width)));
    renderGoogleButton(parent, {
      clientId,
      locale: lang,
      width,
      onCredential: (credential) => {
        setBusy(true);
        setError(null);
        api
          .google(credential)
          .then(({ user }) => {
            signedIn.current(user);
          })
          .catch((caught: unknown) => {
            setError(caught);
          })
          .finally(() => {
            setBusy(false);
          });
      },
    }).catch(() => {
      setUnavailable(true);
    });
  }, [clientId, lang]);

  return (
    <div class="google" aria-busy={busy ? "true" : undefined}>
      <div ref={slot} class="google__slot" />
      {busy && (
        <p class="google__busy" role="status">
          <span class="spinner" aria-hidden="true" /> {t("google.signing_in")}
        </p>
      )}
      {unavailable && <Notice kind="info">{t("google.unavailable")}</Notice>}
      <ErrorNotice error={error} />
    </div>
  );
}
