// A hint of how hard a new password is to guess; the rules themselves are checked apart.
import type { JSX } from "preact";
import { useI18n } from "../i18n";
import { passwordStrength } from "../validation";

const LEVEL = { weak: 1, fair: 2, good: 3, strong: 4 } as const;

export function PasswordStrength({ password }: { password: string }): JSX.Element | null {
  const { t } = useI18n();
  if (password === "") return null;
  const strength = passwordStrength(password);
  return (
    <div class={`strength strength--${strength}`}>
      <span class="strength__bar" aria-hidden="true">
        <span class="strength__fill" style={{ width: `${String(LEVEL[strength] * 25)}%` }} />
      </span>
      <span class="strength__label">{t(`strength.${strength}`)}</span>
    </div>
  );
}
