// The signed-in layout: top bar (menu, upload, account), side navigation, and a content area.
import { ApiError, get, post } from "../api.js";
import { el, icon } from "../dom.js";
import { navigate } from "../router.js";
import { pickAndUpload } from "../upload.js";
import { searchBox } from "./search.js";
import { forgetPreferences } from "../prefs.js";
import { showVersions } from "../version.js";

let me = null;

export async function currentUser() {
  if (me) return me;
  try {
    me = await get("/users/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { navigate("/auth/login", { replace: true }); return null; }
    throw e;
  }
  return me;
}

export function forgetUser() { me = null; }

// The account button: the profile picture when there is one, else the initial. Settings call it after a change.
export function showAvatar(button, user) {
  button ||= document.querySelector(".topbar .avatar");
  if (!button) return;
  button.replaceChildren(user.profileImagePath
    ? el("img", { src: `/api/users/${user.id}/profile-image?v=${encodeURIComponent(user.profileChangedAt || "")}`, alt: "", class: "avatar-img" })
    : (user.name || user.email).slice(0, 1).toUpperCase());
}

const NAV = [
  ["/photos", "photos", "Photos"],
  ["/explore", "explore", "Explore"],
  ["/people", "people", "People"],
  ["/sharing", "sharing", "Sharing"],
  ["/albums", "albums", "Albums"],
  ["/map", "map", "Map"],
  ["/history", "history", "Location history"],
  ["/favorites", "favorite", "Favorites"],
  ["/tags", "tag", "Tags"],
  ["/archive", "archive", "Archive"],
  ["/locked", "locked", "Locked folder"],
  ["/trash", "trash", "Trash"],
];

// Renders the shell (once) and returns the content element for the current page.
export async function shell(active) {
  const user = await currentUser();
  if (!user) return null;
  const app = document.getElementById("app");
  let content = app.querySelector("#content");
  if (!content) {
    const accountMenu = el("div", { class: "menu", hidden: true, id: "account-menu" },
      el("p", {}, el("strong", {}, user.name), el("br"), el("span", { class: "muted" }, user.email)),
      el("p", { class: "muted", id: "version" }),
      el("a", { href: "/user-settings", "data-link": true, class: "menu-link", onclick: () => { accountMenu.hidden = true; } }, "Account settings"),
      el("button", { type: "button", onclick: async () => {
        await post("/auth/logout");
        forgetUser();
        forgetPreferences();
        navigate("/auth/login");
      } }, "Sign out"));
    const accountButton = el("button", { class: "avatar", type: "button", "aria-haspopup": "true",
      "aria-label": "Account", onclick: () => { accountMenu.hidden = !accountMenu.hidden; } },
      (user.name || user.email).slice(0, 1).toUpperCase());
    accountButton.style.setProperty("--avatar", `var(--c-${user.avatarColor || "primary"})`);
    showAvatar(accountButton, user);
    const top = el("header", { class: "topbar" },
      el("button", { class: "icon-button nav-toggle", type: "button", "aria-label": "Menu",
        onclick: () => document.body.classList.toggle("nav-open") }, icon("menu")),
      el("a", { href: "/photos", "data-link": true, class: "logo" }, "photonest"),
      searchBox(),
      el("span", { class: "spacer" }),
      el("button", { class: "button", type: "button", id: "upload-button", onclick: () => pickAndUpload() },
        icon("upload"), el("span", { class: "label" }, "Upload")),
      el("div", { class: "account" }, accountButton, accountMenu));
    const nav = el("nav", { class: "sidebar", "aria-label": "Main" },
      ...NAV.map(([href, ic, label]) => el("a", { href, "data-link": true, dataset: { nav: href } }, icon(ic), label)),
      // Administration only for admins (the server refuses everyone else anyway).
      user.isAdmin ? el("a", { href: "/admin", "data-link": true, dataset: { nav: "/admin" } }, icon("admin"), "Administration") : null);
    content = el("main", { id: "content", tabindex: "-1" });
    app.replaceChildren(top, el("div", { class: "layout" }, nav, content));
    document.dispatchEvent(new CustomEvent("photonest:signed-in"));
    showVersions(document.getElementById("version")).catch(() => {});
    if (user.shouldChangePassword) {
      app.prepend(el("div", { class: "banner", role: "alert" }, "Please change your password. ",
        el("a", { href: "/auth/change-password", "data-link": true }, "Change it now")));
    }
  }
  for (const a of app.querySelectorAll(".sidebar a")) {
    a.classList.toggle("active", a.dataset.nav === active);
    if (a.dataset.nav === active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  document.body.classList.remove("nav-open");
  return content;
}
