// One-off notices carried to the next page in the History API's state, so a reload or the
// back button does not replay them as fresh news from the server.
import type { MessageKey } from "./i18n";

export type FlashKey = Extract<MessageKey, `flash.${string}`>;

export function withFlash(key: FlashKey): { flash: FlashKey } {
  return { flash: key };
}

export function readFlash(state: unknown): FlashKey | null {
  if (typeof state !== "object" || state === null || !("flash" in state)) return null;
  const { flash } = state;
  return typeof flash === "string" && flash.startsWith("flash.") ? (flash as FlashKey) : null;
}
