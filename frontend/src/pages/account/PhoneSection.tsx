// The phone number: saving it, and proving it with a 6-digit code sent by SMS.
//
//   no phone ──save──> unverified ──send code──> code sent ──verify──> verified
//                          ^                        │ (send again)
//                          └──── save another ──────┘
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { api, type User } from "../../api";
import { Button } from "../../components/Button";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { Notice } from "../../components/Notice";
import { PhoneField } from "../../components/PhoneField";
import { showFailure, useAction, useForm } from "../../form";
import { useI18n } from "../../i18n";
import { useSession } from "../../session";
import { normalizeCode, normalizePhone, validateCode, validatePhone } from "../../validation";

export function PhoneSection({ user }: { user: User }): JSX.Element {
  const { t } = useI18n();
  const saved = user.phone ?? "";
  // The code goes to the number it was sent to, even if the saved one changes meanwhile.
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);
  const [verified, setVerified] = useState(false);

  return (
    <section class="card" aria-labelledby="phone-title">
      <h2 id="phone-title" class="card__title">
        {t("account.phone")}{" "}
        {saved !== "" &&
          (user.phone_verified ? (
            <span class="badge badge--ok">{t("account.verified")}</span>
          ) : (
            <span class="badge badge--warn">{t("account.not_verified")}</span>
          ))}
      </h2>
      <PhoneForm
        user={user}
        onSaved={() => {
          setCodeSentTo(null);
          setVerified(false);
        }}
      />
      {saved !== "" && !user.phone_verified && (
        <SendCode
          phone={saved}
          sent={codeSentTo === saved}
          onSent={() => {
            setCodeSentTo(saved);
          }}
        />
      )}
      {codeSentTo !== null && codeSentTo === saved && !user.phone_verified && (
        <CodeForm
          phone={codeSentTo}
          onVerified={() => {
            setCodeSentTo(null);
            setVerified(true);
          }}
        />
      )}
      {verified && user.phone_verified && <Notice kind="success">{t("phone.verified")}</Notice>}
    </section>
  );
}

function PhoneForm({ user, onSaved }: { user: User; onSaved: () => void }): JSX.Element {
  const { t } = useI18n();
  const { setUser } = useSession();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const saved = user.phone ?? "";
  const form = useForm({ phone: saved }, { phone: validatePhone });
  const phone = normalizePhone(form.values.phone);
  const changed = phone !== saved;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const result = await action.run(() => api.updateMe({ phone: phone === "" ? null : phone }));
    if (result.ok) {
      setUser(result.value);
      form.reset({ phone: result.value.phone ?? "" });
      onSaved();
    } else {
      showFailure(form, action, result.error, ref.current);
    }
  };

  return (
    <Form formRef={ref} onSubmit={submit}>
      <PhoneField {...form.field("phone")} />
      <ErrorNotice error={action.error} />
      {changed && (
        <div class="actions">
          <Button type="submit" variant="secondary" busy={action.busy} disabled={!form.valid}>
            {phone === "" ? t("phone.remove") : t("phone.save")}
          </Button>
        </div>
      )}
    </Form>
  );
}

function SendCode({ phone, sent, onSent }: { phone: string; sent: boolean; onSent: () => void }): JSX.Element {
  const { t } = useI18n();
  const action = useAction();
  const send = async (): Promise<void> => {
    const result = await action.run(() => api.sendPhoneCode(phone));
    if (result.ok) onSent();
  };
  return (
    <div class="stack">
      {sent ? (
        <Notice kind="info">{t("phone.code_sent", { phone })}</Notice>
      ) : (
        <p class="muted">{t("phone.unverified_intro")}</p>
      )}
      <ErrorNotice error={action.error} />
      <div class="actions">
        <Button variant={sent ? "link" : "secondary"} busy={action.busy} onClick={() => void send()}>
          {sent ? t("phone.send_again") : t("phone.send_code")}
        </Button>
      </div>
    </div>
  );
}

function CodeForm({ phone, onVerified }: { phone: string; onVerified: () => void }): JSX.Element {
  const { t } = useI18n();
  const { setUser } = useSession();
  const ref = useRef<HTMLFormElement>(null);
  const action = useAction();
  const form = useForm({ code: "" }, { code: validateCode });

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const result = await action.run(() => api.verifyPhone(phone, normalizeCode(form.values.code)));
    if (result.ok) {
      setUser(result.value);
      onVerified();
    } else {
      showFailure(form, action, result.error, ref.current);
    }
  };

  return (
    <Form formRef={ref} onSubmit={submit}>
      <Field
        label={t("field.code")}
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={6}
        autoFocus
        hint={t("phone.code_hint")}
        {...form.field("code")}
      />
      <ErrorNotice error={action.error} />
      <div class="actions">
        <Button type="submit" busy={action.busy} disabled={!form.valid}>
          {t("phone.verify")}
        </Button>
      </div>
    </Form>
  );
}
