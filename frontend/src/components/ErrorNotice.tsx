// The error a request ended with, in words, or nothing while there is none.
import type { JSX } from "preact";
import { describeError } from "../errors";
import { useI18n } from "../i18n";
import { Notice } from "./Notice";

export function ErrorNotice({ error }: { error: unknown }): JSX.Element | null {
  const { t, lang } = useI18n();
  if (error === null) return null;
  return <Notice kind="error">{describeError(error, t, lang)}</Notice>;
}
