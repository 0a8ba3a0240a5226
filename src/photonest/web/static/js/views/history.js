// Location history (photonest, beyond Immich): trips and days drawn as tracks on a map with numbered photos,
// the home place, and GPX import with a preview before anything changes.
import { ApiError, get, post, put, del, qs, thumbUrl } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { createMap, leaflet, listNavigator, photoIcon } from "../leaflet.js";
import { openViewer } from "./viewer.js";

const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const day = (d) => dayFmt.format(new Date(`${d.slice(0, 10)}T00:00:00Z`));
const km = (n) => `${(n ?? 0).toFixed(n >= 100 ? 0 : 1)} km`;
const range = (a, b) => (a === b ? day(a) : `${day(a)} – ${day(b)}`);

function tripCard(t) {
  return el("a", { class: "album-card trip-card", href: `/history/trips/${encodeURIComponent(t.id)}`, "data-link": true },
    el("div", { class: "cover" }, t.coverAssetId ? el("img", { src: thumbUrl(t.coverAssetId), alt: "", loading: "lazy" }) : icon("explore")),
    el("strong", { class: "name" }, (t.cities || []).slice(0, 3).join(", ") || (t.countries || []).join(", ") || "Trip"),
    el("span", { class: "muted" }, `${range(t.startDate, t.endDate)} · ${t.days} day${t.days === 1 ? "" : "s"}`),
    el("span", { class: "muted" }, `${t.assetCount} photo${t.assetCount === 1 ? "" : "s"} · ${km(t.distanceKm)}${t.countries?.length ? ` · ${t.countries.join(", ")}` : ""}`));
}

function dayRow(d) {
  return el("li", {}, el("a", { href: `/history/days/${d.date}`, "data-link": true, class: "day-link" },
    el("strong", {}, day(d.date)), el("span", { class: "muted" },
      ` · ${d.points.length} photo${d.points.length === 1 ? "" : "s"} · ${km(d.distanceKm)} · ` +
      [...new Set(d.points.map((p) => p.city).filter(Boolean))].slice(0, 4).join(", "))));
}

function homeBox() {
  const box = el("div", { class: "home-box" });
  const render = async () => {
    let home = null;
    try { home = await get("/location-history/home"); } catch (e) { if (!(e instanceof ApiError && e.status === 404)) throw e; }
    const lat = el("input", { type: "number", step: "any", name: "latitude", "aria-label": "Home latitude", placeholder: "Latitude", title: "Latitude", value: home?.latitude ?? "" });
    const lon = el("input", { type: "number", step: "any", name: "longitude", "aria-label": "Home longitude", placeholder: "Longitude", title: "Longitude", value: home?.longitude ?? "" });
    const radius = el("input", { type: "number", step: "any", min: "0.1", name: "radiusKm", "aria-label": "Home radius (km)", placeholder: "Radius (km)", title: "Radius (km)", value: home?.radiusKm ?? 25 });
    const where = home?.latitude != null ? `${[home.city, home.country].filter(Boolean).join(", ") || "Set"}${home.inferred ? " (inferred from your photos)" : ""}` : "Not known yet";
    box.replaceChildren(el("p", {}, el("strong", {}, "Home: "), where),
      el("form", { class: "inline-form", onsubmit: async (e) => {
        e.preventDefault();
        try { await put("/location-history/home", { latitude: Number(lat.value), longitude: Number(lon.value), radiusKm: Number(radius.value) }); toast("Home saved"); render(); }
        catch (err) { toast(err.message, "error"); }
      } }, lat, lon, radius, el("button", { type: "submit", class: "button" }, "Set home"),
      home && !home.inferred ? el("button", { type: "button", class: "link-button", onclick: async () => {
        try { await del("/location-history/home"); toast("Home is inferred again"); render(); } catch (err) { toast(err.message, "error"); }
      } }, "Infer it") : null));
  };
  render().catch((e) => box.replaceChildren(el("p", { class: "error" }, e.message)));
  return box;
}

export async function historyPage(content) {
  const head = el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Location history"), el("span", { class: "spacer" }),
    el("button", { type: "button", class: "button", onclick: () => gpxDialog() }, "Import GPX"));
  const trips = el("div", { class: "album-grid" }, el("p", { class: "muted" }, "Loading trips…"));
  const days = el("ul", { class: "day-list" });
  const from = el("input", { type: "date", name: "from", "aria-label": "Days from" });
  const to = el("input", { type: "date", name: "to", "aria-label": "Days to" });
  const shown = el("form", { class: "map-filters", "aria-label": "Days shown" },
    el("label", { class: "inline" }, "from", from), el("label", { class: "inline" }, "to", to));
  content.replaceChildren(head, homeBox(), el("h2", { class: "section-title" }, "Trips"), trips,
    el("h2", { class: "section-title" }, "Days"), shown, days);
  const loadDays = async () => {
    try {
      const list = await get(`/location-history/days${qs({ from: from.value || undefined, to: to.value || undefined })}`);
      const newest = [...list].reverse();
      days.replaceChildren(...(newest.length ? newest.map(dayRow) : [el("li", { class: "empty" }, "No photos with a location in these days.")]));
    } catch (e) { days.replaceChildren(el("li", { class: "error" }, e.message)); }
  };
  shown.addEventListener("change", loadDays);
  shown.addEventListener("submit", (e) => e.preventDefault());
  // A GPX import changes positions: show the new trips and days.
  const onChanged = () => (content.contains(head) ? historyPage(content) : null);
  document.addEventListener("photonest:locations-changed", onChanged, { once: true });
  const [tripList] = await Promise.all([get("/location-history/trips"), loadDays()]);
  trips.replaceChildren(...(tripList.length ? tripList.map(tripCard) : [el("p", { class: "empty" }, "No trips yet: a trip is a run of days with photos taken away from home.")]));
}

// One trip or day: the track as a line, numbered photo markers, and the photos in time order beside it.
async function trackPage(content, title, subtitle, points) {
  const mapNode = el("div", { class: "map track-map" });
  const ordered = [...points].sort((a, b) => String(a.localDateTime).localeCompare(String(b.localDateTime)));
  const ids = ordered.map((p) => p.assetId);
  const nav = listNavigator(ids);
  const list = el("ol", { class: "track-photos" }, ...ordered.map((p, i) => el("li", {},
    el("button", { type: "button", class: "panel-tile", "aria-label": `Photo ${i + 1}`, dataset: { id: p.assetId }, onclick: () => openViewer(p.assetId, nav) },
      el("img", { src: thumbUrl(p.assetId), alt: "", loading: "lazy" }), el("span", { class: "num" }, String(i + 1))),
    el("span", { class: "muted" }, `${timeFmt.format(new Date(`${String(p.localDateTime).slice(0, 19)}Z`))}${p.city ? ` · ${p.city}` : ""}`))));
  content.replaceChildren(
    el("div", { class: "page-head" }, el("a", { href: "/history", "data-link": true, class: "icon-button", "aria-label": "Back to location history" }, icon("left")),
      el("h1", { class: "page-title" }, title), el("span", { class: "spacer" }), el("span", { class: "muted" }, subtitle)),
    el("div", { class: "map-layout" }, mapNode, el("div", { class: "map-side" }, list)));
  const L = await leaflet();
  const map = await createMap(mapNode, { center: [20, 0], zoom: 2 });
  if (!ordered.length) return;
  const line = ordered.map((p) => [p.latitude, p.longitude]);
  L.polyline(line, { color: "#4250af", weight: 4, opacity: 0.8 }).addTo(map);
  ordered.forEach((p, i) => L.marker([p.latitude, p.longitude], { icon: photoIcon(L, p.assetId, i + 1), title: `Photo ${i + 1}` })
    .on("click", () => openViewer(p.assetId, nav)).addTo(map));
  map.fitBounds(L.latLngBounds(line), { padding: [30, 30], maxZoom: 15 });
}

export async function tripPage(content, id) {
  let trip;
  try { trip = await get(`/location-history/trips/${encodeURIComponent(id)}`); } catch (e) {
    content.replaceChildren(el("p", { class: "empty" }, e.message));
    return;
  }
  await trackPage(content, (trip.cities || []).slice(0, 3).join(", ") || "Trip",
    `${range(trip.startDate, trip.endDate)} · ${trip.assetCount} photos · ${km(trip.distanceKm)}`, trip.points || []);
}

export async function dayPage(content, date) {
  const days = await get(`/location-history/days${qs({ from: date, to: date })}`);
  const d = days.find((x) => x.date === date) || { points: [], distanceKm: 0 };
  await trackPage(content, day(date), `${d.points.length} photos · ${km(d.distanceKm)}`, d.points);
}

// GPX import: upload the track, look at what would change (table and map), then apply.
async function upload(path, form) {
  const res = await fetch(`/api${path}`, { method: "POST", body: form, credentials: "same-origin" });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, (Array.isArray(data?.message) ? data.message.join(", ") : data?.message) || res.statusText);
  return data;
}

export function gpxDialog() {
  const dialog = el("dialog", { class: "dialog gpx-dialog", "aria-label": "Import GPX" });
  const file = el("input", { type: "file", name: "file", accept: ".gpx,application/gpx+xml", required: true });
  const offset = el("input", { type: "number", name: "offsetMinutes", value: 0, step: 1 });
  const gap = el("input", { type: "number", name: "maxGapMinutes", value: 10, min: 1, step: 1 });
  const overwrite = el("input", { type: "checkbox", name: "overwrite" });
  const result = el("div", { class: "gpx-result", role: "status" });
  const close = () => { dialog.close(); dialog.remove(); };
  const form = el("form", { class: "link-form", onsubmit: async (e) => {
    e.preventDefault();
    const body = new FormData();
    body.append("file", file.files[0]);
    body.append("offsetMinutes", offset.value || "0");
    body.append("maxGapMinutes", gap.value || "10");
    body.append("overwrite", overwrite.checked ? "true" : "false");
    result.replaceChildren(el("p", { class: "muted" }, "Reading the track…"));
    try { showPreview(await upload("/location-history/gpx/preview", body)); } catch (err) { result.replaceChildren(el("p", { class: "error" }, err.message)); }
  } },
  el("h2", {}, "Import a GPX track"),
  el("p", { class: "muted" }, "Photos taken while the track was recorded get the position on the track at that moment."),
  el("label", {}, "GPX file", file),
  el("label", {}, "Camera clock offset (minutes: camera time + offset = true time)", offset),
  el("label", {}, "Largest gap between track points to bridge (minutes)", gap),
  el("label", { class: "inline" }, overwrite, "Also replace locations photos already have"),
  el("div", { class: "dialog-actions" }, el("button", { type: "button", onclick: close }, "Cancel"), el("button", { type: "submit", class: "button" }, "Preview")),
  result);
  async function showPreview(p) {
    const mapNode = el("div", { class: "map gpx-map" });
    const apply = el("button", { type: "button", class: "button", disabled: !p.matches.length, onclick: async () => {
      apply.disabled = true;
      try { const r = await post("/location-history/gpx/apply", { previewId: p.previewId }); toast(`Updated ${r.updated} photo${r.updated === 1 ? "" : "s"}`); close(); document.dispatchEvent(new CustomEvent("photonest:locations-changed")); }
      catch (err) { toast(err.message, "error"); apply.disabled = false; }
    } }, `Apply to ${p.matches.length} photo${p.matches.length === 1 ? "" : "s"}`);
    result.replaceChildren(
      el("p", {}, `${p.trackPoints} track points${p.trackStart ? `, ${timeFmt.format(new Date(p.trackStart))} – ${timeFmt.format(new Date(p.trackEnd))}` : ""}; ${p.matches.length} photo${p.matches.length === 1 ? "" : "s"} matched, ${p.unmatched} not.`),
      p.matches.length ? el("table", { class: "data-table gpx-matches" },
        el("thead", {}, el("tr", {}, ...["Photo", "Taken", "Position", "Gap", ""].map((h) => el("th", {}, h)))),
        el("tbody", {}, ...p.matches.map((m) => el("tr", {},
          el("td", {}, m.originalFileName), el("td", {}, String(m.localDateTime).slice(0, 19).replace("T", " ")),
          el("td", {}, `${m.latitude.toFixed(5)}, ${m.longitude.toFixed(5)}`), el("td", {}, `${Math.round(m.gapSeconds)} s`),
          el("td", {}, m.hadLocation ? "replaces a location" : ""))))) : null,
      p.matches.length ? mapNode : null,
      el("div", { class: "dialog-actions" }, apply));
    if (p.matches.length) {
      const L = await leaflet();
      const map = await createMap(mapNode);
      const pts = p.matches.map((m) => [m.latitude, m.longitude]);
      p.matches.forEach((m, i) => L.marker([m.latitude, m.longitude], { icon: photoIcon(L, m.assetId, i + 1) }).addTo(map));
      map.fitBounds(L.latLngBounds(pts), { padding: [20, 20], maxZoom: 15 });
    }
  }
  dialog.append(form);
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
