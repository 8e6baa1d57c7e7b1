// Share links to a file or folder: make one (how long it lives, an optional password and
// download limit), see its address once with a copy button, and the links already made to
// it, each revocable after a confirmation.
import type { JSX } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { api, type DriveNode, type Share } from "../../api";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { SelectField } from "../../components/SelectField";
import { Working } from "../../components/Working";
import { focusProblem, showFailure, useAction, useForm } from "../../form";
import { formatDateTime, useI18n, type MessageKey } from "../../i18n";
import { useLoaded } from "../../loaded";
import {
  CUSTOM_UNITS,
  DEFAULT_EXPIRY,
  downloadLimit,
  EXPIRY_PRESETS,
  expirySeconds,
  sharePasswordProblem,
  shareState,
  withNewShare,
  type CustomUnit,
  type ExpiryChoice,
} from "../../shares";
import { Icon } from "./Icon";

const EXPIRY_LABELS: Record<ExpiryChoice, MessageKey> = {
  "1h": "share.expiry_1h",
  "1d": "share.expiry_1d",
  "7d": "share.expiry_7d",
  "30d": "share.expiry_30d",
  custom: "share.expiry_custom",
};

const UNIT_LABELS: Record<CustomUnit, MessageKey> = {
  minutes: "share.unit_minutes",
  hours: "share.unit_hours",
  days: "share.unit_days",
};

const STATUS_LABELS: Record<Share["status"], MessageKey> = {
  active: "share.status_active",
  revoked: "share.status_revoked",
  expired: "share.status_expired",
  used_up: "share.status_used_up",
};

export function ShareDialog({ node, onClose }: { node: DriveNode | null; onClose: () => void }): JSX.Element {
  const { t } = useI18n();
  const [made, setMade] = useState<string | null>(null);
  const nodeId = node?.id ?? null;
  const [listed, setListed] = useLoaded(
    nodeId === null ? null : () => api.shares(nodeId, { limit: 50 }).then((page) => page.items),
    [nodeId],
    { restart: true },
  );

  useEffect(() => {
    setMade(null);
  }, [nodeId]);

  const update = (change: (items: Share[]) => Share[]): void => {
    setListed((old) => ({ status: "ready", value: change(old.status === "ready" ? old.value : []) }));
  };

  return (
    <Dialog open={node !== null} title={node ? t("share.title", { name: node.name }) : ""} onClose={onClose} wide>
      <div class="share-dialog">
        <section class="stack" aria-labelledby="share-new-title">
          <h3 id="share-new-title" class="dialog__subtitle">
            {t("share.new")}
          </h3>
          {made !== null ? (
            <MadeLink
              url={made}
              onAnother={() => {
                setMade(null);
              }}
            />
          ) : (
            nodeId !== null && (
              <NewLinkForm
                nodeId={nodeId}
                onMade={(share, url) => {
                  setMade(url);
                  update((items) => withNewShare(items, share));
                }}
              />
            )
          )}
        </section>
        <section class="stack" aria-labelledby="share-list-title">
          <h3 id="share-list-title" class="dialog__subtitle">
            {t("share.existing")}
          </h3>
          {listed.status === "loading" && <Working>{t("drive.loading")}</Working>}
          {listed.status === "failed" && <ErrorNotice error={listed.error} />}
          {listed.status === "ready" && listed.value.length === 0 && <p class="muted">{t("share.none")}</p>}
          {listed.status === "ready" && listed.value.length > 0 && (
            <ul class="links" aria-labelledby="share-list-title">
              {listed.value.map((share) => (
                <LinkRow
                  key={share.id}
                  share={share}
                  onRevoked={() => {
                    update((items) =>
                      items.map((each) => (each.id === share.id ? { ...each, status: "revoked" } : each)),
                    );
                  }}
                />
              ))}
            </ul>
          )}
        </section>
      </div>
      <div class="actions actions--end dialog__foot">
        <Button variant="secondary" onClick={onClose}>
          {t("common.close")}
        </Button>
      </div>
    </Dialog>
  );
}

function NewLinkForm({ nodeId, onMade }: { nodeId: string; onMade: (share: Share, url: string) => void }): JSX.Element {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const [choice, setChoice] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [unit, setUnit] = useState<CustomUnit>("hours");
  const action = useAction();
  const form = useForm(
    { amount: "12", password: "", max_downloads: "" },
    {
      amount: (value) => {
        const result = expirySeconds("custom", value, unit);
        return "problem" in result ? result.problem : null;
      },
      password: sharePasswordProblem,
      max_downloads: (value) => {
        const result = downloadLimit(value);
        return "problem" in result ? result.problem : null;
      },
    },
  );

  const expiry = expirySeconds(choice, form.values.amount, unit);
  const limit = downloadLimit(form.values.max_downloads);
  const valid = "seconds" in expiry && "limit" in limit && sharePasswordProblem(form.values.password) === null;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!("seconds" in expiry) || !("limit" in limit) || !valid) {
      focusProblem(ref.current);
      return;
    }
    const input = {
      node_id: nodeId,
      expires_in: expiry.seconds,
      ...(form.values.password === "" ? {} : { password: form.values.password }),
      ...(limit.limit === null ? {} : { max_downloads: limit.limit }),
    };
    const result = await action.run(() => api.createShare(input));
    if (result.ok) onMade(result.value.share, result.value.url);
    else showFailure(form, action, result.error, ref.current);
  };

  return (
    <form ref={ref} class="stack" onSubmit={(event) => void submit(event)} noValidate>
      <SelectField
        label={t("share.expiry")}
        value={choice}
        options={[...Object.keys(EXPIRY_PRESETS), "custom"] as ExpiryChoice[]}
        optionLabel={(each) => t(EXPIRY_LABELS[each])}
        onChange={setChoice}
      />
      {choice === "custom" && (
        <div class="field-row">
          <Field
            label={t("share.custom_amount")}
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            hint={t("share.custom_hint")}
            {...form.field("amount")}
          />
          <SelectField
            label={t("share.custom_unit")}
            value={unit}
            options={Object.keys(CUSTOM_UNITS) as CustomUnit[]}
            optionLabel={(each) => t(UNIT_LABELS[each])}
            onChange={setUnit}
          />
        </div>
      )}
      <Field
        label={t("share.password")}
        type="password"
        revealable
        optional
        autoComplete="new-password"
        maxLength={128}
        hint={t("share.password_hint")}
        {...form.field("password")}
      />
      <Field
        label={t("share.limit")}
        optional
        inputMode="numeric"
        autoComplete="off"
        maxLength={5}
        hint={t("share.limit_hint")}
        {...form.field("max_downloads")}
      />
      <ErrorNotice error={action.error} />
      <div class="actions">
        <Button type="submit" busy={action.busy} disabled={!valid}>
          <Icon name="link" />
          {t("share.create")}
        </Button>
      </div>
    </form>
  );
}

function MadeLink({ url, onAnother }: { url: string; onAnother: () => void }): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<"yes" | "manual" | null>(null);

  useEffect(() => {
    input.current?.select();
  }, []);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      // No clipboard (an insecure page, a refused permission): select it for Ctrl+C.
      input.current?.focus();
      input.current?.select();
      setCopied("manual");
    }
  };

  return (
    <div class="stack made-link">
      <Notice kind="info">{t("share.copy_warning")}</Notice>
      <div class="field">
        <label for={id} class="field__label">
          {t("share.url_label")}
        </label>
        <div class="copy-row">
          <textarea
            ref={input}
            id={id}
            class="input input--mono"
            rows={2}
            readOnly
            value={url}
            onFocus={(event) => {
              event.currentTarget.select();
            }}
          />
          <Button onClick={() => void copy()}>
            <Icon name="copy" />
            {t("share.copy")}
          </Button>
        </div>
      </div>
      {copied === "yes" && (
        <p class="copied" role="status">
          {t("share.copied")}
        </p>
      )}
      {copied === "manual" && (
        <p class="copied" role="status">
          {t("share.copy_manual")}
        </p>
      )}
      <div>
        <Button variant="link" onClick={onAnother}>
          {t("share.another")}
        </Button>
      </div>
    </div>
  );
}

function LinkRow({ share, onRevoked }: { share: Share; onRevoked: () => void }): JSX.Element {
  const { t, lang } = useI18n();
  const [asking, setAsking] = useState(false);
  const action = useAction();
  const state = shareState(share);
  const live = state === "active";
  const made = formatDateTime(lang, share.created_at);
  const expires = formatDateTime(lang, share.expires_at);

  const revoke = async (): Promise<void> => {
    const result = await action.run(() => api.revokeShare(share.id));
    if (result.ok) {
      setAsking(false);
      onRevoked();
    }
  };

  return (
    <li class={`link-row${live ? "" : " is-dead"}`}>
      <div class="link-row__main">
        <span class="link-row__badges">
          <span class={`badge ${live ? "badge--ok" : "badge--muted"}`}>{t(STATUS_LABELS[state])}</span>
          <span class="badge badge--muted">
            {share.password_required ? (
              <>
                <Icon name="lock" size={12} /> {t("share.with_password")}
              </>
            ) : (
              t("share.no_password")
            )}
          </span>
        </span>
        <span class="row__sub">
          {t("share.made", { date: made })} ·{" "}
          {state === "expired" ? t("share.expired_on", { date: expires }) : t("share.expires", { date: expires })}
        </span>
        <span class="row__sub">
          {share.max_downloads === null
            ? t("share.downloads", { count: share.downloads })
            : t("share.downloads_limit", { count: share.downloads, limit: share.max_downloads })}
        </span>
      </div>
      {live && !asking && (
        <Button
          variant="secondary"
          label={t("share.revoke_name", { date: made })}
          onClick={() => {
            action.setError(null);
            setAsking(true);
          }}
        >
          {t("share.revoke")}
        </Button>
      )}
      {live && asking && (
        <div class="link-row__confirm" role="group" aria-label={t("share.confirm_revoke")}>
          <p>{t("share.confirm_revoke")}</p>
          <ErrorNotice error={action.error} />
          <div class="actions">
            <Button
              variant="secondary"
              disabled={action.busy}
              onClick={() => {
                setAsking(false);
              }}
            >
              {t("common.cancel")}
            </Button>
            <Button variant="danger" busy={action.busy} onClick={() => void revoke()}>
              {t("share.revoke")}
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}
