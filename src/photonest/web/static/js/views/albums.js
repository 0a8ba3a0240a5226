// Albums: the list (mine and shared with me), one album's page (rename, describe, remove photos, delete),
// and the "add to album" dialog used by the timeline's selection bar.
import { get, post, put, del, thumbUrl } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { navigate } from "../router.js";
import { Timeline } from "./timeline.js";
import { shareDialog } from "./links.js";

const dateFmt = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });

function card(a) {
  const range = a.startDate ? [dateFmt.format(new Date(a.startDate)), dateFmt.format(new Date(a.endDate))] : [];
  const when = range.length ? (range[0] === range[1] ? range[0] : `${range[0]} – ${range[1]}`) : "";
  return el("a", { class: "album-card", href: `/albums/${a.id}`, "data-link": true },
    el("div", { class: "cover" }, a.albumThumbnailAssetId
      ? el("img", { src: thumbUrl(a.albumThumbnailAssetId), alt: "", loading: "lazy" }) : icon("albums")),
    el("strong", { class: "name" }, a.albumName || "Untitled"),
    el("span", { class: "muted" }, `${a.assetCount} item${a.assetCount === 1 ? "" : "s"}${when ? ` · ${when}` : ""}${a.shared ? " · Shared" : ""}`));
}

export async function createAlbum(assetIds = []) {
  const name = prompt("Album name", "Untitled");
  if (name === null) return null;
  const album = await post("/albums", { albumName: name.trim() || "Untitled", assetIds });
  toast(`Created album "${album.albumName}"`);
  return album;
}

export async function albumsPage(content) {
  const [mine, shared] = await Promise.all([get("/albums?isOwned=true"), get("/albums?isOwned=false")]);
  const grid = (list) => list.length ? el("div", { class: "album-grid" }, ...list.map(card)) : el("p", { class: "empty" }, "No albums yet.");
  content.replaceChildren(...[
    el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Albums"), el("span", { class: "spacer" }),
      el("button", { type: "button", class: "button", onclick: async () => {
        try { const a = await createAlbum(); if (a) navigate(`/albums/${a.id}`); } catch (e) { toast(e.message, "error"); }
      } }, "Create album")),
    grid(mine),
    shared.length ? el("h2", { class: "section-title" }, "Shared with me") : null,
    shared.length ? grid(shared) : null].filter(Boolean));
}

export async function albumPage(content, id) {
  let album;
  try { album = await get(`/albums/${id}?withoutAssets=true`); } catch (e) {
    content.replaceChildren(el("p", { class: "empty" }, e.message));
    return null;
  }
  const title = el("input", { class: "album-title", value: album.albumName, "aria-label": "Album name" });
  title.addEventListener("change", async () => {
    try { await api_patch(id, { albumName: title.value }); toast("Album renamed"); } catch (e) { toast(e.message, "error"); }
  });
  const desc = el("textarea", { class: "album-description", rows: 1, placeholder: "Add a description", "aria-label": "Album description" });
  const editable = album.albumUsers?.[0]?.user?.id === (await get("/users/me")).id;
  if (!editable) { title.readOnly = true; desc.readOnly = true; }
  desc.value = album.description || "";
  desc.addEventListener("change", async () => {
    try { await api_patch(id, { description: desc.value }); } catch (e) { toast(e.message, "error"); }
  });
  const box = el("div", { class: "page" });
  const me = await get("/users/me");
  const isOwner = album.albumUsers?.[0]?.user?.id === me.id;
  const members = el("div", { class: "album-members" });
  const renderMembers = (a) => members.replaceChildren(...(a.albumUsers || []).map((u) => {
    const chip = el("span", { class: "member", title: `${u.user.name} (${u.role})` }, `${u.user.name} · ${u.role}`);
    return chip;
  }), isOwner ? el("button", { type: "button", class: "link-button", onclick: () => membersDialog(id, me, () => refresh()) }, "Share with people")
    : el("button", { type: "button", class: "link-button", onclick: async () => {
      if (!confirm("Leave this album? You will no longer see it.")) return;
      await del(`/albums/${id}/user/me`); navigate("/albums");
    } }, "Leave album"));
  const refresh = async () => renderMembers(await get(`/albums/${id}?withoutAssets=true`));
  renderMembers(album);
  const activity = album.isActivityEnabled && (album.albumUsers || []).length > 1 ? await activityPanel(id, me) : "";
  content.replaceChildren(
    el("div", { class: "page-head" }, el("a", { href: "/albums", "data-link": true, class: "icon-button", "aria-label": "Back to albums" }, icon("left")),
      title, el("span", { class: "spacer" }),
      isOwner ? el("button", { type: "button", class: "button", onclick: () => shareDialog({ albumId: id }) }, "Share link") : null,
      isOwner ? el("button", { type: "button", class: "danger-link", onclick: async () => {
        if (!confirm(`Delete the album "${album.albumName}"? The photos stay in your library.`)) return;
        try { await del(`/albums/${id}`); toast("Album deleted"); navigate("/albums"); } catch (e) { toast(e.message, "error"); }
      } }, "Delete album") : null),
    desc, el("p", { class: "muted" }, `${album.assetCount} item${album.assetCount === 1 ? "" : "s"}`), members,
    activity, box);
  document.title = `${album.albumName} · photonest`;
  const timeline = new Timeline(box, { filters: { albumId: id }, emptyText: "This album is empty. Select photos in your timeline and choose Add to album.", album });
  await timeline.load();
  return timeline;
}

function api_patch(id, body) {
  return import("../api.js").then(({ api }) => api("PATCH", `/albums/${id}`, body));
}

// The dialog behind "Add to album": pick an album (or make one), then add the selected assets.
export async function addToAlbumDialog(assetIds) {
  const albums = await get("/albums");
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "dialog", "aria-label": "Add to album" });
    const finish = (v) => { dialog.close(); dialog.remove(); resolve(v); };
    const add = async (album) => {
      try {
        const res = await put(`/albums/${album.id}/assets`, { ids: assetIds });
        const added = res.filter((r) => r.success).length;
        toast(`Added ${added} to "${album.albumName}"${added < res.length ? ` (${res.length - added} already there)` : ""}`);
        finish(album);
      } catch (e) { toast(e.message, "error"); }
    };
    dialog.append(el("h2", {}, `Add ${assetIds.length} to album`),
      el("button", { type: "button", class: "button", onclick: async () => {
        try { const a = await createAlbum(assetIds); if (a) finish(a); } catch (e) { toast(e.message, "error"); }
      } }, "New album"),
      el("ul", { class: "album-pick" }, ...albums.map((a) => el("li", {},
        el("button", { type: "button", onclick: () => add(a) }, a.albumName || "Untitled", el("span", { class: "muted" }, ` · ${a.assetCount}`))))),
      el("button", { type: "button", onclick: () => finish(null) }, "Cancel"));
    document.body.append(dialog);
    dialog.showModal();
  });
}

// The owner invites people as editors (add their own photos) or viewers, changes roles, removes them.
async function membersDialog(albumId, me, onChange) {
  const [album, users] = await Promise.all([get(`/albums/${albumId}?withoutAssets=true`), get("/users")]);
  const inAlbum = new Set((album.albumUsers || []).map((u) => u.user.id));
  const dialog = el("dialog", { class: "dialog", "aria-label": "Share with people" });
  const close = () => { dialog.close(); dialog.remove(); onChange(); };
  const roleSelect = (value, onPick, label) => {
    const s = el("select", { "aria-label": label }, el("option", { value: "editor" }, "Can add photos"), el("option", { value: "viewer" }, "Can view"));
    s.value = value;
    s.addEventListener("change", () => onPick(s.value));
    return s;
  };
  const current = (album.albumUsers || []).filter((u) => u.role !== "owner").map((u) => el("li", { class: "person-row" },
    el("span", { class: "who" }, u.user.name), el("span", { class: "spacer" }),
    roleSelect(u.role, async (role) => { await put(`/albums/${albumId}/user/${u.user.id}`, { role }); toast("Role changed"); }, `Role of ${u.user.name}`),
    el("button", { type: "button", class: "danger-link", onclick: async () => { await del(`/albums/${albumId}/user/${u.user.id}`); close(); } }, "Remove")));
  const candidates = users.filter((u) => u.id !== me.id && !inAlbum.has(u.id));
  const who = el("select", { "aria-label": "Person" }, ...candidates.map((u) => el("option", { value: u.id }, `${u.name} (${u.email})`)));
  let role = "editor";
  const add = el("form", { class: "inline-form", onsubmit: async (e) => {
    e.preventDefault();
    try { await put(`/albums/${albumId}/users`, { albumUsers: [{ userId: who.value, role }] }); toast("Album shared"); close(); }
    catch (err) { toast(err.message, "error"); }
  } }, who, roleSelect(role, (r) => { role = r; }, "Role"), el("button", { type: "submit", class: "button" }, "Add"));
  dialog.append(el("h2", {}, "Share with people"), el("ul", { class: "people-list" }, ...current),
    candidates.length ? add : el("p", { class: "muted" }, "Everyone on this server is in the album."),
    el("div", { class: "dialog-actions" }, el("button", { type: "button", onclick: close }, "Done")));
  document.body.append(dialog);
  dialog.showModal();
}

// Comments and likes on the album (Immich's activity), newest last.
async function activityPanel(albumId, me) {
  const list = el("ul", { class: "activity-list", "aria-label": "Comments" });
  const likeButton = el("button", { type: "button", class: "link-button" });
  const refresh = async () => {
    const items = await get(`/activities?albumId=${albumId}`);
    const mine = items.find((a) => a.type === "like" && a.user.id === me.id && !a.assetId);
    const likes = items.filter((a) => a.type === "like").length;
    likeButton.textContent = `${mine ? "♥ Liked" : "♡ Like"} · ${likes}`;
    likeButton.onclick = async () => {
      if (mine) await del(`/activities/${mine.id}`); else await post("/activities", { albumId, type: "like" });
      refresh();
    };
    list.replaceChildren(...items.filter((a) => a.type === "comment").map((a) => el("li", {},
      el("strong", {}, a.user.name), " ", a.comment, " ",
      el("span", { class: "muted" }, new Date(a.createdAt).toLocaleString()))));
  };
  const input = el("input", { type: "text", placeholder: "Say something", "aria-label": "Comment", maxlength: 2000 });
  const form = el("form", { class: "inline-form", onsubmit: async (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    try { await post("/activities", { albumId, type: "comment", comment: input.value }); input.value = ""; refresh(); }
    catch (err) { toast(err.message, "error"); }
  } }, input, el("button", { type: "submit", class: "button" }, "Post"));
  await refresh();
  return el("section", { class: "activity" }, likeButton, list, form);
}
