// The viewer's info panel extras: a small map for geotagged photos and the albums the photo is in.
import { get } from "../api.js";
import { el, toast } from "../dom.js";
import { createMap, leaflet } from "../leaflet.js";

export function infoExtras(asset) {
  const ex = asset.exifInfo || {};
  const box = el("div", { class: "info-extras" });
  if (ex.latitude != null && ex.longitude != null) {
    const node = el("div", { class: "info-map", "aria-label": "Where this photo was taken", role: "img" });
    box.append(node);
    // The panel is in the document only after this returns: draw the map on the next frame.
    requestAnimationFrame(async () => {
      try {
        const L = await leaflet();
        const map = await createMap(node, { center: [ex.latitude, ex.longitude], zoom: 13, zoomControl: false, attributionControl: true });
        L.marker([ex.latitude, ex.longitude], { title: asset.originalFileName }).addTo(map);
      } catch (e) { toast(e.message, "error"); }
    });
  }
  const albums = el("ul", { class: "info-albums", "aria-label": "Albums" });
  box.append(el("h3", { class: "muted" }, "Albums"), albums);
  get(`/albums?assetId=${encodeURIComponent(asset.id)}`).then((list) => {
    albums.replaceChildren(...(list.length
      ? list.map((a) => el("li", {}, el("a", { href: `/albums/${a.id}`, "data-link": true }, a.albumName || "Untitled")))
      : [el("li", { class: "muted" }, "In no album")]));
  }).catch(() => albums.replaceChildren(el("li", { class: "muted" }, "Albums unavailable")));
  return box;
}
