// The bar on every page: the product name, the language switch and, when signed in, a menu
// with the account page, teams, the operators' page (for operators) and signing out.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { User } from "../api";
import { describeError } from "../errors";
import { useAction } from "../form";
import { useI18n, type MessageKey } from "../i18n";
import { Link, navigate } from "../router";
import { useSession } from "../session";
import { LanguageSwitch } from "./LanguageSwitch";

export function Header(): JSX.Element {
  const { user } = useSession();
  return (
    <header class="header">
      <div class="header__inner">
        <Link href="/" class="brand">
          <svg class="brand__mark" viewBox="0 0 24 24" aria-hidden="true" width="24" height="24">
            <path d="M4 7a2 2 0 0 1 2-2h4l2 2h6a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2z" />
          </svg>
          teamdrive
        </Link>
        <div class="header__tools">
          <LanguageSwitch />
          {user && <UserMenu user={user} />}
        </div>
      </div>
    </header>
  );
}

/** Where the menu leads; the operators' page shows to operators only. */
const PLACES: { href: string; label: MessageKey; admin?: boolean }[] = [
  { href: "/account", label: "header.account" },
  { href: "/teams", label: "header.teams" },
  { href: "/admin", label: "header.admin", admin: true },
];

/** The first character as a person sees it (a whole emoji or syllable), for the avatar. */
function initial(name: string): string {
  const first = new Intl.Segmenter().segment(name)[Symbol.iterator]().next();
  return first.done ? "" : first.value.segment.toUpperCase();
}

function UserMenu({ user }: { user: User }): JSX.Element {
  const { t, lang } = useI18n();
  const { signOut } = useSession();
  const [open, setOpen] = useState(false);
  const signingOut = useAction();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === "Escape") {
        setOpen(false);
        toggle.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const name = user.nickname !== null && user.nickname.trim() !== "" ? user.nickname : user.username;
  return (
    <div
      class="menu"
      ref={root}
      onFocusOut={(event) => {
        if (!root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={toggle}
        type="button"
        class="menu__toggle"
        aria-expanded={open}
        aria-controls="user-menu"
        onClick={() => {
          setOpen(!open);
        }}
      >
        <span class="avatar" aria-hidden="true">
          {initial(name)}
        </span>
        <span class="menu__name">{name}</span>
        <span class="visually-hidden">{t("header.menu")}</span>
      </button>
      <ul id="user-menu" class="menu__list" hidden={!open}>
        {PLACES.filter((place) => user.is_admin || !place.admin).map((place) => (
          <li key={place.href}>
            <button
              type="button"
              class="menu__item"
              onClick={() => {
                setOpen(false);
                navigate(place.href);
              }}
            >
              {t(place.label)}
            </button>
          </li>
        ))}
        <li>
          <button
            type="button"
            class="menu__item"
            disabled={signingOut.busy}
            aria-busy={signingOut.busy ? "true" : undefined}
            onClick={() => {
              void signingOut.run(signOut).then((result) => {
                if (result.ok) setOpen(false);
              });
            }}
          >
            {signingOut.busy && <span class="spinner" aria-hidden="true" />}
            {t("header.sign_out")}
          </button>
        </li>
        {signingOut.error !== null && (
          <li class="menu__error" role="alert">
            {describeError(signingOut.error, t, lang)}
          </li>
        )}
      </ul>
    </div>
  );
}
