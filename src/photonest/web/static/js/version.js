// Versions for the account menu: this web app's (equal to the package version; tests/e2e checks it), the
// server's, the Immich API it speaks, and whether the release check found something newer.
import { get } from "./api.js";
import { el } from "./dom.js";

export const WEB_VERSION = "0.1.0";

const parse = (v) => (String(v || "").match(/(\d+)\.(\d+)\.(\d+)/) || []).slice(1, 4).map(Number);
export function newer(a, b) {
  const [x, y] = [parse(a), parse(b)];
  if (x.length < 3 || y.length < 3) return false;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

export async function showVersions(node) {
  const [about, api, check] = await Promise.all([get("/server/about"), get("/server/version"),
    get("/server/version-check").catch(() => null)]);
  const server = String(about.build || "").replace(/^photonest\s*/, "");
  const lines = [
    el("span", { class: "version-server" }, `Server: photonest ${server}`), el("br"),
    el("span", { class: "version-web" }, `Web app: ${WEB_VERSION}`), el("br"),
    el("span", { class: "version-api" }, `Immich API: v${api.major}.${api.minor}.${api.patch}`),
  ];
  if (server && server !== WEB_VERSION) {
    lines.push(el("br"), el("span", { class: "version-mismatch" }, "The server was updated: reload the page."));
  }
  if (check?.releaseVersion && newer(check.releaseVersion, server)) {
    lines.push(el("br"), el("a", { class: "version-new", href: about.versionUrl?.replace(/tag\/.*$/, "latest") || "#", target: "_blank", rel: "noopener" },
      `A newer release exists: ${check.releaseVersion}`));
  }
  node.replaceChildren(...lines);
}
