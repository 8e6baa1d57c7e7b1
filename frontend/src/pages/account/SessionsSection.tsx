// The signed-in devices: each with what it is, where from and when last used, this one marked;
// signing one other device out (after a confirmation), this one, or every device at once.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type SignedInSession } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { LoadStatus } from "../../components/LoadStatus";
import { Notice } from "../../components/Notice";
import { deviceName, endSession, readSessions, withoutSession } from "../../devices";
import { useAction } from "../../form";
import { formatAgo, formatDateTime, useI18n } from "../../i18n";
import { useLoaded } from "../../loaded";
import { useSession } from "../../session";

export function SessionsSection(): JSX.Element {
  const { t, lang } = useI18n();
  const { signOut, user } = useSession();
  const here = useAction();
  const everywhere = useAction();
  const ending = useAction();
  const [generation, setGeneration] = useState(0);
  const [loaded, setLoaded] = useLoaded(() => readSessions(api), [user?.id, generation]);
  const [confirm, setConfirm] = useState<SignedInSession | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const error = here.error ?? everywhere.error;
  const items = loaded.status === "ready" ? loaded.value : null;
  const unknown = t("sessions.unknown_device");
  const now = Date.now();

  const confirmed = async (): Promise<void> => {
    if (confirm === null) return;
    const target = confirm;
    const result = await ending.run(() => endSession(api, target.id));
    if (!result.ok) return;
    setConfirm(null);
    setEnded(deviceName(target, unknown));
    setLoaded((old) => (old.status === "ready" ? { status: "ready", value: withoutSession(old.value, target.id) } : old));
  };

  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title" class="card__title">
        {t("account.sessions")}
      </h2>
      <p class="muted">{t("account.sessions_intro")}</p>
      {ended !== null && <Notice kind="success">{t("sessions.ended", { device: ended })}</Notice>}
      <LoadStatus
        loaded={loaded}
        onRetry={() => {
          setGeneration((n) => n + 1);
        }}
      />
      {items !== null && items.length > 0 && (
        <ul class="rows sessions">
          {items.map((session) => (
            <li key={session.id} class="row">
              <span class="row__label">
                <span class="row__title">
                  {deviceName(session, unknown)}
                  {session.current && <span class="badge">{t("sessions.this_device")}</span>}
                </span>
                <span class="row__sub">
                  {session.network !== null && <>{t("sessions.from", { network: session.network })} · </>}
                  {session.last_used_at !== null && (
                    <time dateTime={session.last_used_at} title={formatDateTime(lang, session.last_used_at)}>
                      {t("sessions.last_used", { ago: formatAgo(lang, session.last_used_at, now) })}
                    </time>
                  )}
                  {session.created_at !== null && (
                    <>
                      {" · "}
                      {t("sessions.signed_in", { date: formatDateTime(lang, session.created_at) })}
                    </>
                  )}
                </span>
              </span>
              {!session.current && (
                <span class="row__actions">
                  <Button
                    variant="secondary"
                    label={t("sessions.sign_out_device", { device: deviceName(session, unknown) })}
                    onClick={() => {
                      ending.setError(null);
                      setEnded(null);
                      setConfirm(session);
                    }}
                  >
                    {t("account.sign_out")}
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={error} />
      <div class="actions">
        <Button
          variant="secondary"
          busy={here.busy}
          disabled={everywhere.busy}
          onClick={() => void here.run(() => signOut(false))}
        >
          {t("account.sign_out")}
        </Button>
        <Button
          variant="secondary"
          busy={everywhere.busy}
          disabled={here.busy}
          onClick={() => void everywhere.run(() => signOut(true))}
        >
          {t("account.sign_out_everywhere")}
        </Button>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={t("sessions.confirm_title", { device: confirm === null ? "" : deviceName(confirm, unknown) })}
        text={t("sessions.confirm_text")}
        confirmLabel={t("account.sign_out")}
        cancelLabel={t("sessions.keep")}
        busy={ending.busy}
        error={ending.error}
        onConfirm={() => void confirmed()}
        onClose={() => {
          setConfirm(null);
        }}
      />
    </section>
  );
}
