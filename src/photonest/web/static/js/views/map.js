// The map page: every geotagged photo the filters allow (GET /map/markers) as clustered markers; a click on a
// cluster or marker lists its photos beside the map, and a photo opens in the viewer.
import { get, qs, thumbUrl } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { createMap, leaflet, listNavigator, photoIcon } from "../leaflet.js";
import { openViewer } from "./viewer.js";

// A panel of photo tiles; each opens the viewer, stepping within the whole list. A big cluster shows its photos
// a page at a time (a 10,000-photo city would otherwise put 20,000 nodes in the page).
const PAGE = 120;
export function photoPanel(title, ids, { onClose } = {}) {
  const nav = listNavigator(ids);
  const grid = el("div", { class: "panel-grid" });
  const more = el("button", { type: "button", class: "link-button" });
  const addPage = () => {
    const shown = grid.childElementCount;
    grid.append(...ids.slice(shown, shown + PAGE).map((id) => el("button", {
      type: "button", class: "panel-tile", "aria-label": "Open photo", dataset: { id },
      onclick: () => openViewer(id, nav),
    }, el("img", { src: thumbUrl(id), alt: "", loading: "lazy" }))));
    const left = ids.length - grid.childElementCount;
    more.hidden = left <= 0;
    more.textContent = `Show ${Math.min(left, PAGE)} more of ${left}`;
  };
  more.addEventListener("click", addPage);
  addPage();
  return el("aside", { class: "map-panel", "aria-label": title },
    el("div", { class: "page-head" }, el("h2", { class: "section-title" }, title), el("span", { class: "spacer" }),
      onClose ? el("button", { type: "button", class: "icon-button", "aria-label": "Close panel", onclick: onClose }, icon("close")) : null),
    grid, more);
}

function filterForm(onChange) {
  const box = (name, label, checked = false) => el("label", { class: "inline" },
    el("input", { type: "checkbox", name, checked }), label);
  const form = el("form", { class: "map-filters", "aria-label": "Map filters" },
    box("isFavorite", "Favourites only"), box("isArchived", "Include archived"),
    box("withPartners", "Partners"), box("withSharedAlbums", "Shared albums"),
    el("label", { class: "inline" }, "From", el("input", { type: "date", name: "from" })),
    el("label", { class: "inline" }, "To", el("input", { type: "date", name: "to" })));
  form.addEventListener("change", () => onChange(params(form)));
  form.addEventListener("submit", (e) => e.preventDefault());
  return form;
}

// The /map/markers query: flags only when set (Immich's web does the same), dates as whole days.
export function params(form) {
  const f = new FormData(form);
  const flag = (k) => (f.get(k) ? true : undefined);
  const from = f.get("from"), to = f.get("to");
  return {
    isFavorite: flag("isFavorite"), isArchived: flag("isArchived"), withPartners: flag("withPartners"),
    withSharedAlbums: flag("withSharedAlbums"),
    fileCreatedAfter: from ? `${from}T00:00:00.000Z` : undefined,
    fileCreatedBefore: to ? `${to}T23:59:59.999Z` : undefined,
  };
}

export async function mapPage(content) {
  const mapNode = el("div", { class: "map", id: "map" });
  const side = el("div", { class: "map-side", hidden: true });
  const count = el("span", { class: "muted", role: "status" });
  const form = filterForm((p) => load(p));
  content.replaceChildren(
    el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Map"), el("span", { class: "spacer" }), count),
    form, el("div", { class: "map-layout" }, mapNode, side));
  const L = await leaflet();
  const map = await createMap(mapNode, { center: [20, 0], zoom: 2 });
  const clusters = L.markerClusterGroup({ zoomToBoundsOnClick: false, showCoverageOnHover: false, maxClusterRadius: 60, chunkedLoading: true });
  map.addLayer(clusters);
  const show = (title, ids) => {
    side.hidden = false;
    side.replaceChildren(photoPanel(title, ids, { onClose: () => { side.hidden = true; map.invalidateSize(); } }));
    map.invalidateSize();
  };
  clusters.on("clusterclick", (e) => {
    const ids = e.layer.getAllChildMarkers().map((m) => m.options.assetId);
    show(`${ids.length} photos`, ids);
  });
  // Filters change faster than a busy server answers: only the newest request's markers are drawn (an older,
  // slower answer arriving last would put back markers the filters no longer allow).
  let latest = 0;
  async function load(p) {
    const mine = ++latest;
    let markers;
    try { markers = await get(`/map/markers${qs(p)}`); } catch (e) { if (mine === latest) toast(e.message, "error"); return; }
    if (mine !== latest) return;
    clusters.clearLayers();
    clusters.addLayers(markers.map((m) => {
      const marker = L.marker([m.lat, m.lon], { icon: photoIcon(L, m.id), assetId: m.id, title: [m.city, m.country].filter(Boolean).join(", ") });
      marker.on("click", () => show([m.city, m.country].filter(Boolean).join(", ") || "1 photo", [m.id]));
      return marker;
    }));
    count.textContent = `${markers.length} photo${markers.length === 1 ? "" : "s"} with a location`;
    if (markers.length) map.fitBounds(L.latLngBounds(markers.map((m) => [m.lat, m.lon])), { padding: [30, 30], maxZoom: 12 });
  }
  await load(params(form));
  return map;
}
