// Google Identity Services, loaded only when the site has a Google client id. It renders
// Google's own button and hands back the ID token ("credential") for POST /auth/google.
// Everything that knows about Google lives here.

const SCRIPT_URL = "https://accounts.google.com/gsi/client";

interface CredentialResponse {
  credential: string;
}

interface GoogleAccountsId {
  initialize: (config: {
    client_id: string;
    callback: (response: CredentialResponse) => void;
    ux_mode?: "popup" | "redirect";
    context?: "signin" | "signup" | "use";
    use_fedcm_for_button?: boolean;
  }) => void;
  renderButton: (
    parent: HTMLElement,
    options: {
      type?: "standard" | "icon";
      theme?: "outline" | "filled_blue" | "filled_black";
      size?: "large" | "medium" | "small";
      text?: "signin_with" | "signup_with" | "continue_with" | "signin";
      shape?: "rectangular" | "pill" | "circle" | "square";
      width?: number;
      locale?: string;
    },
  ) => void;
}

declare global {
  interface Window {
    google?: { accounts?: { id?: GoogleAccountsId } };
  }
}

let loading: Promise<GoogleAccountsId> | null = null;

function loadScript(): Promise<GoogleAccountsId> {
  loading ??= new Promise<GoogleAccountsId>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = SCRIPT_URL;
    script.async = true;
    script.onload = () => {
      const id = window.google?.accounts?.id;
      if (id) resolve(id);
      else reject(new Error("Google Identity Services did not start"));
    };
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error("Google Identity Services could not be loaded"));
    };
    document.head.appendChild(script);
  });
  return loading;
}

/** Draws Google's sign-in button into `parent`; `onCredential` gets the ID token. */
export async function renderGoogleButton(
  parent: HTMLElement,
  options: { clientId: string; locale: string; width: number; onCredential: (credential: string) => void },
): Promise<void> {
  const id = await loadScript();
  id.initialize({
    client_id: options.clientId,
    callback: (response) => {
      options.onCredential(response.credential);
    },
    ux_mode: "popup",
    context: "signin",
    use_fedcm_for_button: true,
  });
  id.renderButton(parent, {
    type: "standard",
    theme: "outline",
    size: "large",
    text: "continue_with",
    shape: "rectangular",
    width: options.width,
    locale: options.locale,
  });
}
