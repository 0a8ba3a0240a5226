// Leaflet (and its marker clusterer), loaded on first use from the server's /static/vendor (no CDN), plus the
// tile layer the server is configured with.
import { get } from "./api.js";

const OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
let loading = null;
let tiles = null;

function css(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href }));
}

function script(src) {
  return new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement("script"), { src, async: false });
    s.onload = resolve;
    s.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.append(s);
  });
}

export function leaflet() {
  loading ??= (async () => {
    css("/static/vendor/leaflet/leaflet.css");
    css("/static/vendor/leaflet-markercluster/MarkerCluster.css");
    css("/static/vendor/leaflet-markercluster/MarkerCluster.Default.css");
    await script("/static/vendor/leaflet/leaflet.js");
    await script("/static/vendor/leaflet-markercluster/leaflet.markercluster.js");
    return window.L;
  })();
  return loading;
}

// The tile URL template. /server/config names a MapLibre style (ours wraps PHOTONEST_MAP_TILE_URL in one raster
// source, library/places.py); Leaflet draws raster tiles, so take the style's first raster source, else OSM.
async function rasterFromStyle(url) {
  const style = await (await fetch(url, { credentials: "same-origin" })).json();
  const src = Object.values(style.sources || {}).find((s) => s.type === "raster" && s.tiles?.length);
  return src ? { url: src.tiles[0], attribution: src.attribution || "" } : null;
}

async function tileSettings() {
  tiles ??= (async () => {
    try {
      const c = await get("/server/config");
      const dark = matchMedia("(prefers-color-scheme: dark)").matches;
      const styleUrl = (dark && c.mapDarkStyleUrl) || c.mapLightStyleUrl;
      if (styleUrl) return (await rasterFromStyle(styleUrl)) || { url: OSM, attribution: OSM_ATTRIBUTION };
    } catch { /* no config or style: the default below */ }
    return { url: OSM, attribution: OSM_ATTRIBUTION };
  })();
  return tiles;
}

// A map in `node` with the configured tiles; resolves to the Leaflet map.
export async function createMap(node, options = {}) {
  const L = await leaflet();
  const { url, attribution } = await tileSettings();
  const map = L.map(node, { worldCopyJump: true, ...options });
  L.tileLayer(url, { attribution, maxZoom: 19 }).addTo(map);
  return map;
}

// A round photo marker, or a numbered one for tracks.
export function photoIcon(L, assetId, label = null) {
  const html = label !== null ? `<span>${label}</span>` : "";
  const icon = L.divIcon({ className: label !== null ? "pin numbered" : "pin", html, iconSize: [34, 34], iconAnchor: [17, 17] });
  if (label === null) icon.options.html = `<img src="/api/assets/${encodeURIComponent(assetId)}/thumbnail" alt="" loading="lazy">`;
  return icon;
}

// What the viewer needs to step through a fixed list of photos (the timeline offers the same two methods).
export function listNavigator(ids) {
  return {
    async neighbour(id, step) { const i = ids.indexOf(id); return i < 0 ? null : ids[i + step] ?? null; },
    reload() {},
  };
}
