// Form state shared by every page: values, live checks that start after a field's first
// blur, errors the server named for a field, and the busy flag of the request in flight.
import type { TargetedEvent } from "preact";
import { useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import { describeFieldReason, describeProblem } from "./errors";
import { useI18n, type MessageKey } from "./i18n";
import type { Problem } from "./validation";

/** What the server said about a field: one of our messages, or its own reason. */
type ServerError = { key: MessageKey } | { reason: string };

export type Checks<K extends string> = Partial<Record<K, (value: string, values: Record<K, string>) => Problem | null>>;

export interface FieldBinding {
  name: string;
  value: string;
  error: string | null;
  onInput: (event: TargetedEvent<HTMLInputElement>) => void;
  onBlur: () => void;
}

export interface Form<K extends string> {
  values: Record<K, string>;
  valid: boolean;
  field: (name: K, transform?: (value: string) => string) => FieldBinding;
  set: (name: K, value: string) => void;
  reset: (values?: Partial<Record<K, string>>) => void;
  /** Puts the server's `details.fields` on our fields; true when at least one matched. */
  showServerFields: (error: unknown, extra?: Partial<Record<string, K>>) => boolean;
  setServerError: (name: K, message: MessageKey) => void;
}

export function useForm<K extends string>(initial: Record<K, string>, checks: Checks<K>): Form<K> {
  const { t } = useI18n();
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<K, boolean>>>({});
  const [server, setServer] = useState<Partial<Record<K, ServerError>>>({});
  const edited = useRef(new Set<K>());

  const problemOf = (name: K): Problem | null => checks[name]?.(values[name], values) ?? null;
  const names = Object.keys(values) as K[];
  const valid = names.every((name) => problemOf(name) === null);

  const set = (name: K, value: string): void => {
    setValues((old) => ({ ...old, [name]: value }));
    edited.current.add(name);
    setServer((old) =>
      name in old ? (Object.fromEntries(Object.entries(old).filter(([key]) => key !== name)) as typeof old) : old,
    );
  };

  const field = (name: K, transform?: (value: string) => string): FieldBinding => {
    const problem = touched[name] ? problemOf(name) : null;
    const said = server[name];
    let error: string | null = null;
    if (said) error = "key" in said ? t(said.key) : describeFieldReason(said.reason, t);
    else if (problem) error = describeProblem(problem, t);
    return {
      name,
      value: values[name],
      error,
      onInput: (event) => {
        const input = event.currentTarget;
        const raw = input.value;
        const next = transform ? transform(raw) : raw;
        if (next !== raw && next.length === raw.length) {
          // Rewrite in place so the caret stays where the person is typing.
          const { selectionStart, selectionEnd } = input;
          input.value = next;
          input.setSelectionRange(selectionStart, selectionEnd);
        }
        set(name, next);
      },
      onBlur: () => {
        if (edited.current.has(name)) setTouched((old) => (old[name] ? old : { ...old, [name]: true }));
      },
    };
  };

  return {
    values,
    valid,
    field,
    set,
    reset: (next = {}) => {
      setValues({ ...initial, ...next });
      setTouched({});
      setServer({});
      edited.current.clear();
    },
    showServerFields: (error, extra = {}) => {
      if (!(error instanceof ApiError)) return false;
      const found: Partial<Record<K, ServerError>> = {};
      for (const [key, reason] of Object.entries(error.fields)) {
        const name = extra[key] ?? (key in values ? (key as K) : undefined);
        if (name !== undefined) found[name] = { reason };
      }
      setServer(found);
      return Object.keys(found).length > 0;
    },
    setServerError: (name, key) => {
      setServer((old) => ({ ...old, [name]: { key } }));
    },
  };
}

/**
 * Runs one request at a time: `busy` while it runs (buttons show progress and refuse a
 * second click), and the error it ended with.
 */
export function useAction(): {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  run: <T>(work: () => Promise<T>) => Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  const run = async <T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> => {
    if (running.current) return { ok: false, error: null };
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return { ok: true, value: await work() };
    } catch (caught) {
      setError(caught);
      return { ok: false, error: caught };
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** After a failed submit: the first field marked invalid, else the form's notice. */
export function focusProblem(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-notice]');
    target?.focus();
  });
}

/**
 * After a failed submit: an error whose code concerns one field goes on that field instead
 * of the form's notice, else the server's `details.fields` go on theirs; then the first
 * problem takes focus.
 */
export function showFailure<K extends string>(
  form: Form<K>,
  action: { setError: (error: unknown) => void },
  error: unknown,
  element: HTMLFormElement | null,
  codes: Partial<Record<string, [K, MessageKey]>> = {},
): void {
  const onField = error instanceof ApiError ? codes[error.code] : undefined;
  if (onField) {
    form.setServerError(...onField);
    action.setError(null);
  } else {
    form.showServerFields(error);
  }
  focusProblem(element);
}
