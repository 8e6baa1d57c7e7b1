// Which sign-in buttons to show, from GET /auth/providers and the site's config: a provider
// the local development identity provider plays is a link to its page; Google deployed is
// Google Identity Services with the site's client id. A provider this app cannot run (one
// with no way in from a browser yet) gets no button rather than one that cannot work.
import type { SignInProvider, SiteConfig } from "./api";

export type ProviderButton =
  | { id: string; name: string; how: "dev"; href: string }
  | { id: string; name: string; how: "google"; clientId: string };

export function providerButtons(providers: readonly SignInProvider[], config: SiteConfig): ProviderButton[] {
  const buttons: ProviderButton[] = [];
  for (const { id, name } of providers) {
    if (config.dev_idp.includes(id)) {
      buttons.push({ id, name, how: "dev", href: `/api/dev/idp/${encodeURIComponent(id)}` });
    } else if (id === "google" && config.google_client_id !== null) {
      buttons.push({ id, name, how: "google", clientId: config.google_client_id });
    }
  }
  return buttons;
}

/** The buttons, or none when the providers cannot be loaded: password sign-in still works. */
export async function loadProviderButtons(
  load: () => Promise<SignInProvider[]>,
  config: SiteConfig,
): Promise<ProviderButton[]> {
  try {
    return providerButtons(await load(), config);
  } catch {
    return [];
  }
}
