// Starts the app: reads the site's settings and who is signed in, then renders.
import { render } from "preact";
import { api, loadSiteConfig } from "./api";
import { App } from "./app";
import { initialLang } from "./i18n";
import "./styles.css";

const root = document.getElementById("app");
const lang = initialLang();
document.documentElement.lang = lang;

void Promise.all([loadSiteConfig(), api.me().catch(() => null)]).then(([config, user]) => {
  if (!root) return;
  root.replaceChildren(); // the loading indicator from index.html
  render(<App config={config} initialUser={user} initialLang={lang} />, root);
});
