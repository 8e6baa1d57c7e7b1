// "Continue with {name}" for every sign-in provider the server offers (see providers.ts):
// nothing at all, not even the divider, when there are none or they cannot be loaded.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type User } from "../api";
import { useI18n } from "../i18n";
import { loadProviderButtons, type ProviderButton } from "../providers";
import { useSession } from "../session";
import { GoogleButton } from "./GoogleButton";

export function ProviderButtons({ onSignedIn }: { onSignedIn: (user: User) => void }): JSX.Element | null {
  const { t } = useI18n();
  const { config } = useSession();
  const [buttons, setButtons] = useState<ProviderButton[]>([]);

  useEffect(() => {
    let live = true;
    void loadProviderButtons(() => api.providers(), config).then((loaded) => {
      if (live) setButtons(loaded);
    });
    return () => {
      live = false;
    };
  }, [config]);

  if (buttons.length === 0) return null;
  return (
    <div class="alt-signin">
      <p class="divider">
        <span>{t("signin.or")}</span>
      </p>
      {buttons.map((button) =>
        button.how === "dev" ? (
          <a key={button.id} class="button button--secondary provider-button" href={button.href}>
            {t("signin.continue_with", { name: button.name })}
          </a>
        ) : (
          <GoogleButton key={button.id} clientId={button.clientId} onSignedIn={onSignedIn} />
        ),
      )}
    </div>
  );
}
