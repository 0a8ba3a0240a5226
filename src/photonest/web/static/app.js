// photonest web UI entry point. Talks only to /api, like any Immich client.
import { route, fallback, dispatch, navigate } from "./js/router.js";
import { onboarding, login, changePassword } from "./js/views/auth.js";
import { shell } from "./js/views/shell.js";
import { Timeline } from "./js/views/timeline.js";
import { openViewer, closeViewer } from "./js/views/viewer.js";
import { installDropZone } from "./js/upload.js";
import { albumsPage, albumPage } from "./js/views/albums.js";
import { lockedPage } from "./js/views/locked.js";
import { memoriesStrip } from "./js/views/memories.js";
import { sharingPage } from "./js/views/sharing.js";
import { sharePage } from "./js/views/share.js";
import { mapPage } from "./js/views/map.js";
import { historyPage, tripPage, dayPage } from "./js/views/history.js";
import { adminPage, leaveAdmin } from "./js/views/admin.js";
import { searchPage } from "./js/views/search.js";
import { explorePage } from "./js/views/explore.js";
import { peoplePage, personPage } from "./js/views/people.js";
import { tagsPage, tagPage } from "./js/views/tags.js";
import { settingsPage } from "./js/views/settings.js";
import { post } from "./js/api.js";
import { connect, on } from "./js/live.js";
import { el, toast } from "./js/dom.js";

let timeline = null;
let reloadTimer = null;
const scheduleReload = () => {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => timeline?.reload(), 800);
};

function page(active, title, filters, emptyText, action = null, header = null) {
  return async (params) => {
    const content = await shell(active);
    if (!content) return;
    closeViewer();
    timeline?.destroy();
    const box = el("div", { class: "page" });
    content.replaceChildren(el("div", { class: "page-head" }, el("h1", { class: "page-title" }, title), el("span", { class: "spacer" }),
      action ? el("button", { type: "button", class: "button", onclick: () => action() }, action.label) : ""), box);
    if (header) header().then((h) => h && box.before(h));
    document.title = `${title} · photonest`;
    timeline = new Timeline(box, { filters, emptyText });
    await timeline.load();
    if (params?.id) openViewer(params.id, timeline);
  };
}

// The main timeline: the timeline visibility only (archived photos live in Archive), with partners who are
// shown in my timeline, and stacks as their primary photo.
const photos = page("/photos", "Photos", { visibility: "timeline", withPartners: true }, "No photos yet. Drop some here or use Upload.", null, memoriesStrip);
route("/", () => navigate("/photos", { replace: true }));
route("/auth/login", login);
route("/share/:key", ({ key }) => sharePage({ key }));
route("/s/:slug", ({ slug }) => sharePage({ slug }));
route("/auth/onboarding", onboarding);
route("/auth/change-password", changePassword);
route("/photos", photos);
route("/photos/:id", photos);
route("/favorites", page("/favorites", "Favorites", { isFavorite: true }, "Tap ♥ on a photo to find it here."));
route("/archive", page("/archive", "Archive", { visibility: "archive" }, "Archived photos stay out of your timeline."));
const emptyTrash = async () => {
  if (!confirm("Delete everything in the trash for good? This cannot be undone.")) return;
  const res = await post("/trash/empty");
  toast(`Deleted ${res?.count ?? 0} items for good`);
  timeline?.reload();
};
emptyTrash.label = "Empty trash";
route("/trash", page("/trash", "Trash", { isTrashed: true }, "Trash is empty.", emptyTrash));
const locked = async () => {
  const content = await shell("/locked");
  if (!content) return;
  closeViewer();
  timeline?.destroy();
  document.title = "Locked folder · photonest";
  timeline = await lockedPage(content, locked);
};
route("/locked", locked);
const sharing = async () => {
  const content = await shell("/sharing");
  if (!content) return;
  closeViewer();
  timeline?.destroy();
  timeline = null;
  document.title = "Sharing · photonest";
  await sharingPage(content, sharing);
};
route("/sharing", sharing);
route("/albums", async () => {
  const content = await shell("/albums");
  if (!content) return;
  closeViewer();
  timeline?.destroy();
  timeline = null;
  document.title = "Albums · photonest";
  await albumsPage(content);
});
route("/albums/:albumId", async ({ albumId }) => {
  const content = await shell("/albums");
  if (!content) return;
  closeViewer();
  timeline?.destroy();
  timeline = await albumPage(content, albumId);
});
// Map, location history and administration: pages without a timeline of their own.
function plain(active, title, render) {
  return view(active, async (content, params) => {
    document.title = `${title} · photonest`;
    await render(content, params);
    return null;
  });
}
route("/map", plain("/map", "Map", (content) => mapPage(content)));
route("/history", plain("/history", "Location history", (content) => historyPage(content)));
route("/history/trips/:id", plain("/history", "Trip", (content, { id }) => tripPage(content, id)));
route("/history/days/:date", plain("/history", "Day", (content, { date }) => dayPage(content, date)));
route("/admin", plain("/admin", "Administration", (content) => adminPage(content, "users")));
route("/admin/:tab", plain("/admin", "Administration", (content, { tab }) => adminPage(content, tab)));
// Search, explore, people, tags, account settings. render() returns the page's timeline (or grid) if it has one,
// so uploads and the viewer reload it.
function view(active, render) {
  return async (params, sp) => {
    const content = await shell(active);
    if (!content) return;
    closeViewer();
    leaveAdmin();
    timeline?.destroy();
    timeline = null;
    timeline = (await render(content, params, sp)) || null;
  };
}
route("/search", view(null, (content, _, sp) => searchPage(content, sp)));
route("/explore", view("/explore", (content) => explorePage(content)));
route("/people", view("/people", (content, _, sp) => peoplePage(content, sp)));
route("/people/:personId", view("/people", (content, { personId }) => personPage(content, personId)));
route("/tags", view("/tags", (content) => tagsPage(content)));
route("/tags/:tagId", view("/tags", (content, { tagId }) => tagPage(content, tagId)));
route("/user-settings", view(null, (content) => settingsPage(content)));
fallback(async () => {
  const content = await shell(null);
  if (!content) return;
  content.replaceChildren(el("h1", { class: "page-title" }, "Coming soon"),
    el("p", { class: "empty" }, "This part of photonest is not built yet."));
});

installDropZone();
document.addEventListener("photonest:uploaded", scheduleReload);
// A new upload reloads the timeline, unless it is already there (the timeline loaded after it was processed):
// a reload under the user's hands would redraw the tiles they are clicking.
const uploadReady = (id) => { if (!id || !timeline?.has?.(id)) scheduleReload(); };
on("on_upload_success", (asset) => uploadReady(asset?.id));
on("on_asset_delete", scheduleReload);
on("on_asset_trash", scheduleReload);
on("on_asset_restore", scheduleReload);
on("AssetUploadReadyV1", (payload) => uploadReady(payload?.asset?.id));

document.addEventListener("photonest:signed-in", connect);
dispatch();
