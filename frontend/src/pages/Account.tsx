// The signed-in person's account: profile, storage, uploads in progress, phone, password,
// sessions and deletion. Each section saves on its own and reports the fresh user object to
// the session.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type User } from "../api";
import { Page } from "../components/Page";
import { formatDate, useI18n } from "../i18n";
import { useLoaded } from "../loaded";
import { DeleteAccountSection } from "./account/DeleteAccountSection";
import { InflightSection } from "./account/InflightSection";
import { NicknameForm } from "./account/NicknameForm";
import { PasswordSection } from "./account/PasswordSection";
import { PhoneSection } from "./account/PhoneSection";
import { SessionsSection } from "./account/SessionsSection";
import { StorageSection } from "./account/StorageSection";

export function Account({ user }: { user: User }): JSX.Element {
  const { t } = useI18n();
  // Read by the storage figures and the uploads in progress; again after a cancel frees space.
  const [reads, setReads] = useState(0);
  const [stats] = useLoaded(() => api.stats(), [user.id, reads]);
  return (
    <Page title={t("account.title")} width="wide">
      <div class="sections">
        <section class="card" aria-labelledby="profile-title">
          <h2 id="profile-title" class="card__title">
            {t("account.profile")}
          </h2>
          <Profile user={user} />
          <NicknameForm user={user} />
        </section>
        <StorageSection user={user} loaded={stats} />
        <InflightSection
          user={user}
          stats={stats.status === "ready" ? stats.value : null}
          onCancelled={() => {
            setReads((n) => n + 1);
          }}
        />
        <PhoneSection user={user} />
        <PasswordSection user={user} />
        <SessionsSection />
        <DeleteAccountSection />
      </div>
    </Page>
  );
}

function Profile({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
  return (
    <dl class="facts">
      <div class="facts__row">
        <dt>{t("field.username")}</dt>
        <dd>{user.username}</dd>
      </div>
      <div class="facts__row">
        <dt>{t("field.email")}</dt>
        <dd>
          <span class="facts__value">{user.email}</span>{" "}
          {user.email_verified ? (
            <span class="badge badge--ok">{t("account.verified")}</span>
          ) : (
            <span class="badge badge--warn">{t("account.not_verified")}</span>
          )}
        </dd>
      </div>
      <div class="facts__row">
        <dt>{t("account.member_since")}</dt>
        <dd>{formatDate(lang, user.created_at)}</dd>
      </div>
      <div class="facts__row">
        <dt>{t("account.files")}</dt>
        <dd>{new Intl.NumberFormat(lang).format(user.storage.file_count)}</dd>
      </div>
    </dl>
  );
}
