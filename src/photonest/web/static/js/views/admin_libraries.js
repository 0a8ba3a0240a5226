// Administration > Libraries: Immich's external libraries (/api/libraries), folders indexed in place and never
// written to. Admin-only on the server as well; admin.js shows this tab to admins only.
import { get, post, put, del } from "../api.js";
import { el, toast, formatBytes } from "../dom.js";

const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "never");

// The edit dialog checks paths and patterns as they are typed (POST /libraries/{id}/validate, Immich's messages).
// A new library has no id to validate against yet, so the create dialog reports the server's refusal on submit.
function libraryDialog(lib, users, onDone) {
  const editing = !!lib;
  const area = (name, label, value, hint) => el("label", {}, label,
    el("textarea", { name, rows: 3, spellcheck: "false", "aria-describedby": `${name}-hint` }, value),
    el("span", { class: "muted hint", id: `${name}-hint` }, hint));
  const checks = el("ul", { class: "path-checks", "aria-live": "polite", "aria-label": "Import path checks" });
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "link-form library-form" },
    el("h2", {}, editing ? `Edit ${lib.name}` : "Create library"),
    editing ? null : el("label", {}, "Owner", el("select", { name: "ownerId", required: true },
      ...users.map((u) => el("option", { value: u.id }, `${u.name} (${u.email})`)))),
    el("label", {}, "Name", el("input", { name: "name", value: lib?.name ?? "", placeholder: "New External Library" })),
    area("importPaths", "Import paths", (lib?.importPaths ?? []).join("\n"),
      "One absolute folder path per line, as the server sees it. Files there are read, never changed."),
    checks,
    area("exclusionPatterns", "Exclusion patterns", (lib?.exclusionPatterns ?? []).join("\n"),
      editing ? "One glob per line, e.g. **/@eaDir/** or **/*.tmp" : "One glob per line; empty = the defaults (Synology thumbnails, recycle bins, ...)"),
    error,
    el("div", { class: "dialog-actions" }, el("button", { type: "button", onclick: () => dialog.close() }, "Cancel"),
      el("button", { type: "submit", class: "button" }, editing ? "Save" : "Create")));
  const dialog = el("dialog", { class: "dialog", "aria-label": editing ? `Edit ${lib.name}` : "Create library" }, form);
  const field = (name) => form.elements.namedItem(name);

  let pending = 0;
  const validate = async () => {
    const seq = ++pending;
    const body = { importPaths: lines(field("importPaths").value), exclusionPatterns: lines(field("exclusionPatterns").value) };
    try {
      const result = await post(`/libraries/${lib.id}/validate`, body);
      if (seq !== pending) return;  // an answer to older text
      error.textContent = "";
      checks.replaceChildren(...result.importPaths.map((c) => el("li", { class: c.isValid ? "ok" : "bad" },
        el("span", { "aria-hidden": "true" }, c.isValid ? "\u2713 " : "\u2717 "), el("code", {}, c.importPath),
        c.isValid ? el("span", { class: "muted" }, " ok") : el("span", { class: "error" }, ` ${c.message || "invalid"}`))));
    } catch (e) {
      if (seq === pending) { checks.replaceChildren(); error.textContent = e.message; }  // e.g. a bad pattern
    }
  };
  if (editing) {
    let timer;
    form.addEventListener("input", (e) => {
      if (e.target.name !== "importPaths" && e.target.name !== "exclusionPatterns") return;
      clearTimeout(timer);
      timer = setTimeout(validate, 300);
    });
    validate();
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { importPaths: lines(field("importPaths").value) };
    const name = field("name").value.trim();
    if (name) body.name = name;
    const patterns = lines(field("exclusionPatterns").value);
    if (editing || patterns.length) body.exclusionPatterns = patterns;
    try {
      const saved = editing ? await put(`/libraries/${lib.id}`, body)
        : await post("/libraries", { ...body, ownerId: field("ownerId").value });
      toast(editing ? `Saved ${saved.name}` : `Created ${saved.name}`);
      dialog.close(); onDone();
    } catch (err) { error.textContent = err.message; }
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

export async function librariesTab(body) {
  // On a phone the tab strip scrolls: bring this tab's name into view.
  document.querySelector(".tabs a.active")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const users = (await get("/admin/users")).filter((u) => !u.deletedAt);
  const byId = new Map(users.map((u) => [u.id, u]));
  const tbody = el("tbody");
  const empty = el("p", { class: "muted" });
  let lastKey = "";
  const list = (items) => el("ul", { class: "plain-list" }, ...items.map((p) => el("li", {}, el("code", {}, p))));

  const scan = async (lib) => {
    try { await post(`/libraries/${lib.id}/scan`); toast(`Scan of ${lib.name} queued`); } catch (e) { toast(e.message, "error"); }
  };
  const remove = async (lib) => {
    if (!confirm(`Delete the library "${lib.name}"? Its ${lib.assetCount} assets are removed from photonest with their `
      + "thumbnails. The files in its import paths are never touched: nothing is deleted from those folders.")) return;
    try { await del(`/libraries/${lib.id}`); toast(`Deleted ${lib.name}`); await refresh(); } catch (e) { toast(e.message, "error"); }
  };

  async function refresh() {
    const libs = await get("/libraries");
    const stats = await Promise.all(libs.map((l) => get(`/libraries/${l.id}/statistics`).catch(() => null)));
    const key = JSON.stringify([libs, stats]);
    if (key === lastKey) return;  // unchanged: keep the rows (and keyboard focus in them)
    lastKey = key;
    empty.textContent = libs.length ? "" : "No external libraries yet. Create one to index a folder the server can read, in place.";
    tbody.replaceChildren(...libs.map((lib, i) => {
      const owner = byId.get(lib.ownerId);
      const s = stats[i];
      return el("tr", { dataset: { library: lib.id, name: lib.name } },
        el("td", { class: "name" }, lib.name),
        el("td", { "data-label": "Owner" }, owner ? owner.name : lib.ownerId, owner ? el("div", { class: "muted" }, owner.email) : null),
        el("td", { "data-label": "Import paths" }, lib.importPaths.length ? list(lib.importPaths) : el("span", { class: "muted" }, "none")),
        el("td", { "data-label": "Exclusions" }, lib.exclusionPatterns.length ? list(lib.exclusionPatterns) : el("span", { class: "muted" }, "none")),
        el("td", { class: "asset-count", "data-label": "Assets" }, String(lib.assetCount)),
        el("td", { "data-label": "Contents" }, s ? `${s.photos} photos, ${s.videos} videos, ${formatBytes(s.usage)}` : ""),
        el("td", { "data-label": "Last scan" }, when(lib.refreshedAt)),
        el("td", { class: "actions" },
          el("button", { type: "button", class: "link-button", "aria-label": `Scan now: ${lib.name}`, onclick: () => scan(lib) }, "Scan now"),
          el("button", { type: "button", class: "link-button", "aria-label": `Edit: ${lib.name}`, onclick: () => libraryDialog(lib, users, refresh) }, "Edit"),
          el("button", { type: "button", class: "danger-link", "aria-label": `Delete: ${lib.name}`, onclick: () => remove(lib) }, "Delete")));
    }));
  }

  body.replaceChildren(
    el("div", { class: "page-head" },
      el("p", { class: "muted" }, "Folders indexed in place for one owner. photonest only reads them. Counts refresh every 3 seconds."),
      el("span", { class: "spacer" }),
      el("button", { type: "button", class: "button", onclick: () => libraryDialog(null, users, refresh) }, "Create library")),
    empty,
    el("table", { class: "data-table libraries-table phone-cards" },
      el("thead", {}, el("tr", {}, ...["Name", "Owner", "Import paths", "Exclusion patterns", "Assets", "Contents", "Last scan", ""]
        .map((h) => el("th", { scope: "col" }, h)))), tbody));
  await refresh();
  // Scans run in the background: keep the counts current while this tab is on screen.
  const timer = setInterval(() => {
    if (!document.body.contains(tbody)) { clearInterval(timer); return; }
    if (!document.querySelector("dialog[open]")) refresh().catch(() => {});
  }, 3000);
}
