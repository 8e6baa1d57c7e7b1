// Editing the nickname others see; empty means "show my username".
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api, type User } from "../../api";
import { Button } from "../../components/Button";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { Notice } from "../../components/Notice";
import { showFailure, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { useSession } from "../../session";
import { normalizeNickname, validateNickname } from "../../validation";

export function NicknameForm({ user }: { user: User }): JSX.Element {
  const { t } = useI18n();
  const { setUser } = useSession();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const saved = user.nickname ?? "";
  const form = useForm({ nickname: saved }, { nickname: validateNickname });
  const [done, setDone] = useState(false);
  const changed = normalizeNickname(form.values.nickname) !== saved;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const nickname = normalizeNickname(form.values.nickname);
    const result = await action.run(() => api.updateMe({ nickname: nickname === "" ? null : nickname }));
    if (result.ok) {
      setUser(result.value);
      form.reset({ nickname: result.value.nickname ?? "" });
      setDone(true);
    } else {
      showFailure(form, action, result.error, ref.current);
    }
  };

  return (
    <Form formRef={ref} onSubmit={submit}>
      <Field
        label={t("field.nickname")}
        optional
        autoComplete="nickname"
        hint={t("account.nickname_hint")}
        {...form.field("nickname")}
      />
      <ErrorNotice error={action.error} />
      {done && !changed && <Notice kind="success">{t("account.nickname_saved")}</Notice>}
      <div class="actions">
        <Button type="submit" variant="secondary" busy={action.busy} disabled={!form.valid || !changed}>
          {t("account.save_nickname")}
        </Button>
      </div>
    </Form>
  );
}
