// Creating and managing share links: the dialog behind "Share" (from a selection, the viewer or an album),
// and the list on the Sharing page (copy, change options, revoke).
import { get, post, api, del } from "../api.js";
import { el, toast } from "../dom.js";

export function linkUrl(link) {
  return link.slug ? `${location.origin}/s/${encodeURIComponent(link.slug)}` : `${location.origin}/share/${link.key}`;
}

function optionsForm(initial, submitLabel, onSubmit) {
  const f = (name, label, type, attrs = {}) => el("label", {}, label, el("input", { name, type, ...attrs }));
  const box = (name, label, checked) => el("label", { class: "inline" }, el("input", { name, type: "checkbox", ...(checked ? { checked: true } : {}) }), label);
  const form = el("form", { class: "link-form" },
    f("description", "Description", "text", { value: initial.description || "" }),
    f("password", "Password (optional)", "password", { autocomplete: "new-password", placeholder: initial.password ? "unchanged" : "" }),
    f("expiresAt", "Expires", "datetime-local", initial.expiresAt ? { value: initial.expiresAt.slice(0, 16) } : {}),
    f("slug", "Custom link name (optional)", "text", { value: initial.slug || "", pattern: "[A-Za-z0-9._~\\-]+" }),
    box("allowDownload", "Allow downloads", initial.allowDownload ?? true),
    box("allowUpload", "Allow guests to add photos (albums only)", initial.allowUpload ?? false),
    box("showMetadata", "Show metadata and location", initial.showMetadata ?? true),
    el("div", { class: "dialog-actions" }, el("button", { type: "button", value: "cancel", onclick: () => form.closest("dialog")?.close() }, "Cancel"),
      el("button", { type: "submit", class: "button" }, submitLabel)));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = new FormData(form);
    const body = {
      description: v.get("description") || null,
      expiresAt: v.get("expiresAt") ? new Date(v.get("expiresAt")).toISOString() : null,
      slug: v.get("slug") || null,
      allowDownload: v.get("allowDownload") === "on",
      allowUpload: v.get("allowUpload") === "on",
      showMetadata: v.get("showMetadata") === "on",
    };
    if (v.get("password")) body.password = v.get("password");
    try { await onSubmit(body); } catch (err) { toast(err.message, "error"); }
  });
  return form;
}

function dialog(title, content) {
  const d = el("dialog", { class: "dialog", "aria-label": title }, el("h2", {}, title), content);
  d.addEventListener("close", () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

function showLink(link) {
  const url = linkUrl(link);
  const input = el("input", { value: url, readonly: true, "aria-label": "Share link" });
  const d = dialog("Link ready", el("div", {}, input,
    el("div", { class: "dialog-actions" },
      el("button", { type: "button", class: "button", onclick: async () => {
        try { await navigator.clipboard.writeText(url); toast("Link copied"); } catch { input.select(); toast("Press Ctrl+C to copy"); }
      } }, "Copy link"),
      el("button", { type: "button", onclick: () => d.close() }, "Done"))));
  input.select();
}

export function shareDialog({ assetIds = [], albumId = null }) {
  const d = dialog(albumId ? "Share album" : `Share ${assetIds.length} item${assetIds.length === 1 ? "" : "s"}`,
    optionsForm({}, "Create link", async (opts) => {
      const body = { ...opts, type: albumId ? "ALBUM" : "INDIVIDUAL", ...(albumId ? { albumId } : { assetIds }) };
      if (!albumId) body.allowUpload = false;
      for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
      const link = await post("/shared-links", body);
      d.close();
      showLink(link);
    }));
}

export async function linksSection(rerender) {
  const links = await get("/shared-links");
  const when = (iso) => new Date(iso).toLocaleString();
  return el("section", {}, el("h2", { class: "section-title" }, "Shared links"),
    links.length ? el("ul", { class: "people-list links" }, ...links.map((l) => el("li", { class: "person-row" },
      el("span", { class: "who" }, el("strong", {}, l.description || l.album?.albumName || (l.type === "ALBUM" ? "Album" : `${l.assets.length} items`)), el("br"),
        el("span", { class: "muted" }, [l.password ? "password · " : "", l.expiresAt ? `expires ${when(l.expiresAt)} · ` : "",
          l.allowDownload ? "downloads on" : "downloads off"].join(""))),
      el("span", { class: "spacer" }),
      el("button", { type: "button", onclick: () => showLink(l) }, "Link"),
      el("button", { type: "button", onclick: () => {
        const d = dialog("Edit link", optionsForm(l, "Save", async (opts) => {
          if (l.type !== "ALBUM") delete opts.allowUpload;
          await api("PATCH", `/shared-links/${l.id}`, opts);
          d.close();
          toast("Link updated");
          rerender();
        }));
      } }, "Edit"),
      el("button", { type: "button", class: "danger-link", onclick: async () => {
        if (!confirm("Delete this link? People who have it will no longer see the photos.")) return;
        await del(`/shared-links/${l.id}`);
        toast("Link deleted");
        rerender();
      } }, "Delete")))) : el("p", { class: "muted" }, "You have no shared links."));
}
