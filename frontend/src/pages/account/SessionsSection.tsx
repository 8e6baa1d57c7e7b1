// Signing out here, or on every device at once.
import type { JSX } from "preact";
import { Button } from "../../components/Button";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useAction } from "../../form";
import { useI18n } from "../../i18n";
import { useSession } from "../../session";

export function SessionsSection(): JSX.Element {
  const { t } = useI18n();
  const { signOut } = useSession();
  const here = useAction();
  const everywhere = useAction();
  const error = here.error ?? everywhere.error;
  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title" class="card__title">
        {t("account.sessions")}
      </h2>
      <p class="muted">{t("account.sessions_intro")}</p>
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
    </section>
  );
}
