// Tags: the tree of your tags (rename, colour, delete, add a child), one tag's photos (its timeline, which
// includes the tags below it), and the picker that tags a selection or the photo in the viewer.
import { get, post, put, del } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { navigate } from "../router.js";
import { Timeline } from "./timeline.js";

// Tags as a tree: [{ tag, children: [...] }], siblings sorted by name.
export function tagTree(tags) {
  const nodes = new Map(tags.map((t) => [t.id, { tag: t, children: [] }]));
  const roots = [];
  for (const n of nodes.values()) (nodes.get(n.tag.parentId)?.children || roots).push(n);
  const sort = (list) => { list.sort((a, b) => a.tag.name.localeCompare(b.tag.name)); list.forEach((n) => sort(n.children)); return list; };
  return sort(roots);
}

const dot = (t) => {
  const d = el("span", { class: "tag-dot", "aria-hidden": "true" });
  if (t.color) d.style.background = t.color.startsWith("#") ? t.color : `#${t.color}`;
  return d;
};

async function rename(t, done) {
  const name = prompt("New name", t.name);
  if (!name || name.trim() === t.name) return;
  try { await put(`/tags/${t.id}`, { name: name.trim() }); toast("Tag renamed"); done(); } catch (e) { toast(e.message, "error"); }
}

function colorInput(t, done) {
  const input = el("input", { type: "color", class: "tag-color", value: t.color ? (t.color.startsWith("#") ? t.color : `#${t.color}`) : "#4250af",
    "aria-label": `Colour of ${t.value}` });
  input.addEventListener("change", async () => {
    try { await put(`/tags/${t.id}`, { color: input.value }); toast("Colour saved"); done(); } catch (e) { toast(e.message, "error"); }
  });
  return input;
}

async function remove(t, done) {
  if (!confirm(`Delete the tag "${t.value}" and the tags below it? Your photos stay.`)) return;
  try { await del(`/tags/${t.id}`); toast("Tag deleted"); done(); } catch (e) { toast(e.message, "error"); }
}

async function create(parent, done) {
  const name = prompt(parent ? `New tag inside "${parent.value}"` : "New tag (use / for levels, e.g. Travel/Japan)");
  if (!name || !name.trim()) return;
  try {
    if (parent) await post("/tags", { name: name.trim(), parentId: parent.id });
    else await put("/tags", { tags: [name.trim()] });
    toast("Tag created"); done();
  } catch (e) { toast(e.message, "error"); }
}

export async function tagsPage(content) {
  const refresh = () => tagsPage(content);
  const tags = await get("/tags");
  const branch = (nodes) => el("ul", { class: "tag-tree", role: "group" }, ...nodes.map(({ tag: t, children }) => el("li", { role: "treeitem", "aria-label": t.value },
    el("div", { class: "tag-row" }, dot(t),
      el("a", { href: `/tags/${t.id}`, "data-link": true }, t.name), el("span", { class: "spacer" }),
      colorInput(t, refresh),
      el("button", { type: "button", class: "link-button", "aria-label": `Rename ${t.value}`, onclick: () => rename(t, refresh) }, "Rename"),
      el("button", { type: "button", class: "link-button", "aria-label": `Add a tag inside ${t.value}`, onclick: () => create(t, refresh) }, "+"),
      el("button", { type: "button", class: "danger-link", "aria-label": `Delete ${t.value}`, onclick: () => remove(t, refresh) }, "Delete")),
    children.length ? branch(children) : null)));
  const tree = branch(tagTree(tags));
  tree.setAttribute("role", "tree");
  tree.setAttribute("aria-label", "Tags");
  content.replaceChildren(
    el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Tags"), el("span", { class: "spacer" }),
      el("button", { type: "button", class: "button", onclick: () => create(null, refresh) }, "New tag")),
    tags.length ? tree : el("p", { class: "empty" }, "No tags yet. Select photos and choose Tag, or create one here."));
}

export async function tagPage(content, id) {
  let t;
  try { t = await get(`/tags/${id}`); } catch (e) { content.replaceChildren(el("p", { class: "empty" }, e.message)); return null; }
  const box = el("div", { class: "page" });
  content.replaceChildren(el("div", { class: "page-head" },
    el("a", { href: "/tags", "data-link": true, class: "icon-button", "aria-label": "Back to tags" }, icon("left")),
    dot(t), el("h1", { class: "page-title" }, t.value), el("span", { class: "spacer" }),
    el("button", { type: "button", class: "link-button", onclick: () => rename(t, () => navigate(`/tags/${id}`, { replace: true })) }, "Rename"),
    el("button", { type: "button", class: "danger-link", onclick: () => remove(t, () => navigate("/tags")) }, "Delete")), box);
  document.title = `${t.value} · photonest`;
  const timeline = new Timeline(box, { filters: { tagId: id }, emptyText: "No photos with this tag yet.",
    actions: (ids) => [el("button", { type: "button", onclick: async () => {
      try {
        const res = await del(`/tags/${id}/assets`, { ids });
        toast(`Removed the tag from ${res.filter((r) => r.success).length}`);
        timeline.selected.clear(); timeline.refreshSelection(); await timeline.reload();
      } catch (e) { toast(e.message, "error"); }
    } }, "Remove tag")] });
  await timeline.load();
  return timeline;
}


// Choose tags for some assets: existing ones (filter as you type) or a new path. Resolves true when tagged.
export async function tagPicker(assetIds) {
  const tags = await get("/tags");
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "dialog", "aria-label": "Tag" });
    const finish = (v) => { dialog.close(); dialog.remove(); resolve(v); };
    const input = el("input", { type: "search", placeholder: "Tag name, e.g. Travel/Japan", "aria-label": "Tag name" });
    const list = el("ul", { class: "album-pick" });
    const apply = async (tag) => {
      try {
        const { count } = await put("/tags/assets", { tagIds: [tag.id], assetIds });
        toast(`Tagged ${assetIds.length === 1 ? "the photo" : count} with ${tag.value}`);
        finish(true);
      } catch (e) { toast(e.message, "error"); }
    };
    const paint = () => {
      const q = input.value.trim().toLowerCase();
      list.replaceChildren(...tags.filter((t) => !q || t.value.toLowerCase().includes(q)).slice(0, 50)
        .map((t) => el("li", {}, el("button", { type: "button", onclick: () => apply(t) }, dot(t), t.value))));
    };
    const form = el("form", { class: "inline-form", onsubmit: async (e) => {
      e.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      const existing = tags.find((t) => t.value.toLowerCase() === value.toLowerCase());
      if (existing) return apply(existing);
      try { const [t] = await put("/tags", { tags: [value] }); await apply(t); } catch (err) { toast(err.message, "error"); }
    } }, input, el("button", { type: "submit", class: "button" }, "Add"));
    input.addEventListener("input", paint);
    paint();
    dialog.append(el("h2", {}, assetIds.length === 1 ? "Tag this photo" : `Tag ${assetIds.length} items`), form, list,
      el("div", { class: "dialog-actions" }, el("button", { type: "button", onclick: () => finish(false) }, "Cancel")));
    dialog.addEventListener("cancel", () => finish(false));
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

// The viewer's tag chips: each removable, plus "Add tag".
export function tagsSection(asset, onChange) {
  const tags = asset.tags || [];
  return el("section", { class: "asset-tags", "aria-label": "Tags" }, el("h3", {}, "Tags"),
    el("div", { class: "chips" }, ...tags.map((t) => el("span", { class: "chip" }, dot(t),
      el("a", { href: `/tags/${t.id}`, "data-link": true }, t.value),
      el("button", { type: "button", class: "chip-x", "aria-label": `Remove tag ${t.value}`, onclick: async () => {
        try { await del(`/tags/${t.id}/assets`, { ids: [asset.id] }); onChange(); } catch (e) { toast(e.message, "error"); }
      } }, "×"))),
    el("button", { type: "button", class: "link-button", onclick: async () => { if (await tagPicker([asset.id])) onChange(); } }, "+ Add tag")));
}
