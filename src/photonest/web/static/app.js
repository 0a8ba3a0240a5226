// photonest web UI entry point. Talks only to /api, like any Immich client.
import { route, fallback, dispatch, navigate } from "./js/router.js";
import { onboarding, login, changePassword } from "./js/views/auth.js";
import { shell } from "./js/views/shell.js";
import { Timeline } from "./js/views/timeline.js";
import { openViewer, closeViewer } from "./js/views/viewer.js";
import { installDropZone } from "./js/upload.js";
import { connect, on } from "./js/live.js";
import { el } from "./js/dom.js";

let timeline = null;
let reloadTimer = null;
const scheduleReload = () => {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => timeline?.reload(), 800);
};

function page(active, title, filters, emptyText) {
  return async (params) => {
    const content = await shell(active);
    if (!content) return;
    closeViewer();
    timeline?.destroy();
    const box = el("div", { class: "page" });
    content.replaceChildren(el("h1", { class: "page-title" }, title), box);
    document.title = `${title} · photonest`;
    timeline = new Timeline(box, { filters, emptyText });
    await timeline.load();
    if (params?.id) openViewer(params.id, timeline);
  };
}

const photos = page("/photos", "Photos", {}, "No photos yet. Drop some here or use Upload.");
route("/", () => navigate("/photos", { replace: true }));
route("/auth/login", login);
route("/auth/onboarding", onboarding);
route("/auth/change-password", changePassword);
route("/photos", photos);
route("/photos/:id", photos);
route("/favorites", page("/favorites", "Favorites", { isFavorite: true }, "Tap ♥ on a photo to find it here."));
route("/archive", page("/archive", "Archive", { visibility: "archive" }, "Archived photos stay out of your timeline."));
route("/trash", page("/trash", "Trash", { isTrashed: true }, "Trash is empty."));
fallback(async () => {
  const content = await shell(null);
  if (!content) return;
  content.replaceChildren(el("h1", { class: "page-title" }, "Coming soon"),
    el("p", { class: "empty" }, "This part of photonest is not built yet."));
});

installDropZone();
document.addEventListener("photonest:uploaded", scheduleReload);
on("on_upload_success", scheduleReload);
on("on_asset_delete", scheduleReload);
on("on_asset_trash", scheduleReload);
on("on_asset_restore", scheduleReload);
on("AssetUploadReadyV1", scheduleReload);

document.addEventListener("photonest:signed-in", connect);
dispatch();
