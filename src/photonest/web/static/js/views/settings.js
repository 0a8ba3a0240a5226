// Account settings (/user-settings): profile (picture, name, email), password, API keys, signed-in devices,
// PIN code for the locked folder, and preferences. Each section saves on its own and reports what happened.
import { ApiError, get, post, put, del, api } from "../api.js";
import { el, toast } from "../dom.js";
import { forgetUser, showAvatar } from "./shell.js";
import { navigate } from "../router.js";
import { rememberPreferences } from "../prefs.js";

// Immich's API-key permissions, grouped by resource (Permission enum of the contract, without "all").
const PERMISSIONS = {
  activity: ["create", "read", "update", "delete", "statistics"], apiKey: ["create", "read", "update", "delete"],
  asset: ["read", "update", "delete", "statistics", "share", "view", "download", "upload", "copy", "derive"],
  "asset.edit": ["get", "create", "delete"],
  album: ["create", "read", "update", "delete", "statistics", "share", "download"], albumAsset: ["create", "delete"],
  albumUser: ["create", "update", "delete"], auth: ["changePassword"], authDevice: ["delete"], archive: ["read"],
  backup: ["list", "download", "upload", "delete"], duplicate: ["read", "delete"], face: ["create", "read", "update", "delete"],
  folder: ["read"], job: ["create", "read"], library: ["create", "read", "update", "delete", "statistics"],
  timeline: ["read", "download"], map: ["read", "search"], memory: ["create", "read", "update", "delete", "statistics"],
  memoryAsset: ["create", "delete"], notification: ["create", "read", "update", "delete"],
  partner: ["create", "read", "update", "delete"], person: ["create", "read", "update", "delete", "statistics", "merge", "reassign"],
  pinCode: ["create", "update", "delete"], session: ["create", "read", "update", "delete", "lock"],
  sharedLink: ["create", "read", "update", "delete"], stack: ["create", "read", "update", "delete"], sync: ["stream"],
  syncCheckpoint: ["read", "update", "delete"], tag: ["create", "read", "update", "delete", "asset"], user: ["read", "update"],
  userPreference: ["read", "update"], userProfileImage: ["create", "read", "update", "delete"],
  server: ["about", "apkLinks", "storage", "statistics", "versionCheck"],
};

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

function section(id, title, ...body) {
  return el("section", { class: "settings-section", id, "aria-labelledby": `${id}-title` }, el("h2", { id: `${id}-title` }, title), ...body);
}

// A form whose submit runs `fn(values)`; errors show under the form, success as a toast.
function form(label, fields, submit, fn) {
  const error = el("p", { class: "error", role: "alert" });
  const f = el("form", { class: "settings-form", "aria-label": label }, ...fields, el("div", {}, el("button", { type: "submit", class: "button" }, submit)), error);
  f.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const button = f.querySelector("button[type=submit]");
    button.disabled = true;
    try { await fn(Object.fromEntries(new FormData(f)), f); } catch (err) { error.textContent = err.message; }
    finally { button.disabled = false; }
  });
  return f;
}

const input = (label, name, type = "text", attrs = {}) => el("label", {}, label, el("input", { name, type, ...attrs }));

async function profile(me, refresh) {
  showAvatar(null, me);
  const picture = me.profileImagePath
    ? el("img", { class: "profile-picture", src: `/api/users/${me.id}/profile-image?v=${encodeURIComponent(me.profileChangedAt || "")}`, alt: "Your profile picture" })
    : el("span", { class: "profile-picture avatar", "aria-label": "No profile picture" }, (me.name || me.email).slice(0, 1).toUpperCase());
  const file = el("input", { type: "file", accept: "image/jpeg,image/png,image/webp", hidden: true, "aria-label": "Profile picture file" });
  file.addEventListener("change", async () => {
    if (!file.files.length) return;
    const body = new FormData();
    body.append("file", file.files[0]);
    const res = await fetch("/api/users/profile-image", { method: "POST", body, credentials: "same-origin" });
    if (!res.ok) return toast((await res.json().catch(() => ({}))).message || res.statusText, "error");
    toast("Profile picture changed");
    refresh();
  });
  return section("profile", "Profile",
    el("div", { class: "profile-row" }, picture,
      el("button", { type: "button", class: "button", onclick: () => file.click() }, "Upload picture"),
      me.profileImagePath ? el("button", { type: "button", class: "danger-link", onclick: async () => {
        try { await del("/users/profile-image"); toast("Profile picture removed"); refresh(); } catch (e) { toast(e.message, "error"); }
      } }, "Remove picture") : null, file),
    form("Profile", [input("Name", "name", "text", { value: me.name, required: true, autocomplete: "name" }),
      input("Email", "email", "email", { value: me.email, required: true, autocomplete: "email" })], "Save",
    async (v) => { await put("/users/me", { name: v.name.trim(), email: v.email.trim() }); forgetUser(); toast("Profile saved"); }));
}

function password() {
  return section("password", "Password",
    form("Change password", [
      input("Current password", "password", "password", { required: true, autocomplete: "current-password" }),
      input("New password", "newPassword", "password", { required: true, autocomplete: "new-password" }),
      input("Confirm new password", "confirm", "password", { required: true, autocomplete: "new-password" }),
      el("label", { class: "inline" }, el("input", { type: "checkbox", name: "invalidateSessions", value: "true" }), "Sign out of all other devices")],
    "Change password", async (v, f) => {
      if (v.newPassword !== v.confirm) throw new Error("The new passwords do not match");
      await post("/auth/change-password", { password: v.password, newPassword: v.newPassword, invalidateSessions: !!v.invalidateSessions });
      f.reset();
      toast("Password changed");
    }));
}

function showSecret(secret) {
  const dialog = el("dialog", { class: "dialog", "aria-label": "New API key" });
  const box = el("input", { type: "text", readonly: true, value: secret, class: "secret", "aria-label": "API key secret" });
  dialog.append(el("h2", {}, "Your new API key"),
    el("p", {}, "Copy it now: it is shown only this once."), box,
    el("div", { class: "dialog-actions" },
      el("button", { type: "button", onclick: async () => {
        try { await navigator.clipboard.writeText(secret); toast("Copied"); } catch { box.select(); document.execCommand?.("copy"); }
      } }, "Copy"),
      el("button", { type: "button", class: "button", onclick: () => { dialog.close(); dialog.remove(); } }, "Done")));
  document.body.append(dialog);
  dialog.showModal();
  box.select();
}

async function apiKeys(refresh) {
  const keys = await get("/api-keys");
  const all = el("input", { type: "checkbox", name: "all", value: "true", checked: true });
  const groups = el("div", { class: "permission-groups", hidden: true }, ...Object.entries(PERMISSIONS).map(([res, actions]) =>
    el("fieldset", {}, el("legend", {}, res), ...actions.map((a) => el("label", { class: "inline" },
      el("input", { type: "checkbox", name: "permission", value: `${res}.${a}` }), a)))));
  all.addEventListener("change", () => { groups.hidden = all.checked; });
  return section("api-keys", "API keys",
    el("p", { class: "muted" }, "Keys let apps and scripts use your account (send them as the x-api-key header)."),
    keys.length ? el("ul", { class: "people-list" }, ...keys.map((k) => el("li", { class: "person-row" },
      el("span", {}, el("strong", {}, k.name || "Unnamed key"), el("br"),
        el("span", { class: "muted" }, `Created ${when(k.createdAt)} · ${k.permissions.includes("all") ? "all permissions" : `${k.permissions.length} permissions`}`)),
      el("span", { class: "spacer" }),
      el("button", { type: "button", class: "danger-link", "aria-label": `Revoke ${k.name || "key"}`, onclick: async () => {
        if (!confirm(`Revoke the key "${k.name}"? Apps using it stop working.`)) return;
        try { await del(`/api-keys/${k.id}`); toast("Key revoked"); refresh(); } catch (e) { toast(e.message, "error"); }
      } }, "Revoke")))) : el("p", { class: "muted" }, "No API keys."),
    form("New API key", [input("Key name", "name", "text", { required: true, maxlength: 200 }),
      el("label", { class: "inline" }, all, "All permissions"), groups], "Create key", async (v, f) => {
      const permissions = all.checked ? ["all"] : [...f.querySelectorAll("input[name=permission]:checked")].map((c) => c.value);
      if (!permissions.length) throw new Error("Choose at least one permission");
      const res = await post("/api-keys", { name: v.name.trim(), permissions });
      showSecret(res.secret);
      refresh();
    }));
}

async function sessions(refresh) {
  const list = await get("/sessions");
  list.sort((a, b) => (b.current - a.current) || (b.updatedAt || "").localeCompare(a.updatedAt || ""));
  const others = list.filter((s) => !s.current);
  return section("sessions", "Devices",
    el("ul", { class: "people-list" }, ...list.map((s) => el("li", { class: "person-row" },
      el("span", {}, el("strong", {}, [s.deviceOS, s.deviceType].filter(Boolean).join(" · ") || "Unknown device"),
        s.current ? " " : null, s.current ? el("span", { class: "member" }, "This device") : null, el("br"),
        el("span", { class: "muted" }, `${s.appVersion ? `App ${s.appVersion} · ` : ""}Signed in ${when(s.createdAt)} · Last seen ${when(s.updatedAt)}`)),
      el("span", { class: "spacer" }),
      s.current ? null : el("button", { type: "button", class: "danger-link", "aria-label": `Sign out ${s.deviceOS || "device"}`, onclick: async () => {
        try { await del(`/sessions/${s.id}`); toast("Signed out"); refresh(); } catch (e) { toast(e.message, "error"); }
      } }, "Sign out")))),
    others.length ? el("button", { type: "button", class: "button", onclick: async () => {
      if (!confirm(`Sign out of ${others.length} other device${others.length === 1 ? "" : "s"}?`)) return;
      try { await del("/sessions"); toast("Signed out of other devices"); refresh(); } catch (e) { toast(e.message, "error"); }
    } }, "Sign out of all other devices") : null);
}

async function pinCode(refresh) {
  const status = await get("/auth/status");
  const pin = (label, name, auto = "off") => input(label, name, "password", { inputmode: "numeric", pattern: "[0-9]{6}", maxlength: 6, minlength: 6, required: true, autocomplete: auto, title: "6 digits" });
  if (!status.pinCode) {
    return section("pin-code", "PIN code",
      el("p", { class: "muted" }, "A 6-digit PIN protects your locked folder."),
      form("Set PIN code", [pin("New PIN code", "pinCode"), pin("Confirm PIN code", "confirm")], "Set PIN code", async (v) => {
        if (v.pinCode !== v.confirm) throw new Error("The PIN codes do not match");
        await post("/auth/pin-code", { pinCode: v.pinCode });
        toast("PIN code set"); refresh();
      }));
  }
  return section("pin-code", "PIN code",
    el("p", { class: "muted" }, "Your locked folder is protected by a PIN code."),
    form("Change PIN code", [pin("Current PIN code", "pinCode"), pin("New PIN code", "newPinCode")], "Change PIN code", async (v, f) => {
      await put("/auth/pin-code", { pinCode: v.pinCode, newPinCode: v.newPinCode });
      f.reset(); toast("PIN code changed");
    }),
    form("Reset PIN code", [el("p", { class: "muted" }, "Forgot it? Your password removes the PIN code; set a new one after."),
      input("Password", "password", "password", { required: true, autocomplete: "current-password" })], "Reset PIN code", async (v) => {
      await api("DELETE", "/auth/pin-code", { password: v.password });
      toast("PIN code removed"); refresh();
    }));
}

// [section, key, label]: booleans of /users/me/preferences shown as switches.
const PREFS = [
  ["memories", "enabled", "Show memories (“on this day”) above the timeline"],
  ["ratings", "enabled", "Star ratings in the info panel"],
  ["tags", "enabled", "Tags"], ["people", "enabled", "People"],
  ["folders", "enabled", "Folders"], ["sharedLinks", "enabled", "Shared links"],
  ["emailNotifications", "enabled", "Email notifications"], ["emailNotifications", "albumInvite", "Email when invited to an album"],
  ["emailNotifications", "albumUpdate", "Email when an album changes"],
  ["download", "includeEmbeddedVideos", "Include the videos of live photos in downloads"],
];

async function preferences() {
  let prefs = await get("/users/me/preferences");
  rememberPreferences(prefs);
  return section("preferences", "Preferences",
    el("p", { class: "muted" }, "Kept with your account, as Immich keeps them. This web page follows memories and star ratings."),
    el("div", { class: "prefs" }, ...PREFS.filter(([s, k]) => prefs[s] && k in prefs[s]).map(([s, k, label]) => {
    const box = el("input", { type: "checkbox", role: "switch", checked: !!prefs[s][k] });
    box.addEventListener("change", async () => {
      try { prefs = await put("/users/me/preferences", { [s]: { [k]: box.checked } }); rememberPreferences(prefs); toast("Preference saved"); }
      catch (e) { box.checked = !box.checked; toast(e.message, "error"); }
    });
    return el("label", { class: "inline pref" }, box, label);
  })));
}

export async function settingsPage(content) {
  const refresh = () => settingsPage(content);
  let me;
  try { me = await get("/users/me"); } catch (e) {
    if (e instanceof ApiError && e.status === 401) return navigate("/auth/login", { replace: true });
    throw e;
  }
  const parts = await Promise.all([profile(me, refresh), password(), apiKeys(refresh), sessions(refresh), pinCode(refresh), preferences()]);
  const toc = el("nav", { class: "settings-toc", "aria-label": "Settings sections" }, ...parts.map((p) =>
    el("a", { href: `#${p.id}`, onclick: (e) => { e.preventDefault(); p.scrollIntoView({ block: "start" }); } }, p.querySelector("h2").textContent)));
  const y = window.scrollY;
  content.replaceChildren(el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Account settings")), toc, ...parts);
  window.scrollTo(0, y);
  document.title = "Account settings · photonest";
}
