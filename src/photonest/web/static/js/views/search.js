// Search: the top bar's box (suggestions for people, places, cameras and tags as you type), the results page
// (free text -> POST /search/smart, filters only -> POST /search/metadata) and its filter panel. The URL holds
// the whole search (/search?q=…&city=…), so results can be reloaded, shared and navigated back to.
import { get, post, api, qs } from "../api.js";
import { el, icon } from "../dom.js";
import { navigate } from "../router.js";
import { AssetGrid } from "./grid.js";

const PAGE = 100;
// URL parameter -> how it goes into the DTO. Lists are comma-separated in the URL.
const LISTS = ["personIds", "tagIds", "albumIds"];
const TEXTS = ["city", "country", "make", "model", "type", "ocr"];
const DATES = ["takenAfter", "takenBefore"];

export function searchUrl(params) {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
  return `/search${qs(clean)}`;
}

// URLSearchParams -> { query, filters } (filters in MetadataSearchDto / SmartSearchDto shape).
export function parseSearch(sp) {
  const f = {};
  for (const k of LISTS) if (sp.get(k)) f[k] = sp.get(k).split(",").filter(Boolean);
  for (const k of TEXTS) if (sp.get(k)) f[k] = sp.get(k);
  // Dates are days in the URL; the API takes instants: the whole "before" day is included.
  if (sp.get("takenAfter")) f.takenAfter = new Date(`${sp.get("takenAfter")}T00:00:00Z`).toISOString();
  if (sp.get("takenBefore")) f.takenBefore = new Date(`${sp.get("takenBefore")}T23:59:59.999Z`).toISOString();
  if (sp.get("isFavorite") === "true") f.isFavorite = true;
  return { query: (sp.get("q") || "").trim(), filters: f };
}

// --- the box in the top bar --------------------------------------------------------------------------------

let sources = null;  // suggestion lists, fetched once per page load (refreshed when the box is focused again)
async function loadSources() {
  const safe = (p) => p.catch(() => []);
  const [cities, countries, makes, models, tags] = await Promise.all([
    safe(get("/search/suggestions?type=city")), safe(get("/search/suggestions?type=country")),
    safe(get("/search/suggestions?type=camera-make")), safe(get("/search/suggestions?type=camera-model")), safe(get("/tags"))]);
  return { cities, countries, makes, models, tags };
}

async function suggest(text) {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  sources ||= loadSources();
  const s = await sources;
  const has = (v) => v && String(v).toLowerCase().includes(q);
  const people = await get(`/search/person${qs({ name: text.trim() })}`).catch(() => []);
  const out = [];
  for (const p of people.filter((x) => x.name).slice(0, 5)) out.push({ kind: "Person", label: p.name, url: searchUrl({ personIds: [p.id] }), thumb: `/api/people/${p.id}/thumbnail` });
  for (const c of s.cities.filter(has).slice(0, 4)) out.push({ kind: "Place", label: c, url: searchUrl({ city: c }) });
  for (const c of s.countries.filter(has).slice(0, 3)) out.push({ kind: "Country", label: c, url: searchUrl({ country: c }) });
  for (const m of s.makes.filter(has).slice(0, 3)) out.push({ kind: "Camera make", label: m, url: searchUrl({ make: m }) });
  for (const m of s.models.filter(has).slice(0, 3)) out.push({ kind: "Camera", label: m, url: searchUrl({ model: m }) });
  for (const t of s.tags.filter((t) => has(t.value)).slice(0, 4)) out.push({ kind: "Tag", label: t.value, url: searchUrl({ tagIds: [t.id] }) });
  return out;
}

export function searchBox() {
  const input = el("input", { type: "search", class: "search-input", placeholder: "Search your photos", "aria-label": "Search",
    autocomplete: "off", role: "combobox", "aria-expanded": "false", "aria-controls": "search-suggestions", enterkeyhint: "search" });
  const list = el("ul", { class: "suggestions", id: "search-suggestions", role: "listbox", hidden: true });
  let items = [], active = -1, timer = null, seq = 0;
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; };
  const go = (url) => { close(); input.blur(); navigate(url); };
  const paint = () => {
    list.replaceChildren(...items.map((it, i) => el("li", { role: "option", id: `sugg-${i}`, "aria-selected": String(i === active),
      class: i === active ? "active" : "", onmousedown: (e) => { e.preventDefault(); go(it.url); } },
      it.thumb ? el("img", { src: it.thumb, alt: "", class: "face small", onerror: (e) => e.target.remove() }) : null,
      el("span", { class: "label" }, it.label), el("span", { class: "muted kind" }, it.kind))));
    list.hidden = !items.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (active >= 0) input.setAttribute("aria-activedescendant", `sugg-${active}`); else input.removeAttribute("aria-activedescendant");
  };
  input.addEventListener("focus", () => { sources = null; });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++seq;
      const found = await suggest(input.value);
      if (mine !== seq) return;  // a newer keystroke already answered
      items = found; active = -1; paint();
    }, 150);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && items.length) { e.preventDefault(); active = (active + 1) % items.length; paint(); }
    else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); active = (active - 1 + items.length) % items.length; paint(); }
    else if (e.key === "Escape") close();
    else if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(timer); seq++;
      if (active >= 0) return go(items[active].url);
      if (input.value.trim()) go(searchUrl({ q: input.value.trim() }));
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  // "/" jumps to the search box from anywhere but a text field (as in Immich and Google Photos).
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.target.closest?.("input, textarea, select, [contenteditable]")) return;
    if (!input.isConnected || document.querySelector(".viewer, dialog[open]")) return;
    e.preventDefault();
    input.focus();
  });
  return el("div", { class: "search-box", role: "search" }, icon("explore"), input, list);
}

// --- the results page --------------------------------------------------------------------------------------

async function runSearch(query, filters, page) {
  if (query) {
    const res = await api("POST", "/search/smart?debug=true", { ...filters, query, page, size: PAGE, withExif: true });
    const ocrHits = new Set((res.debug?.hits || []).filter((h) => h.signals?.ocr).map((h) => h.id));
    return { items: res.assets.items, next: res.assets.nextPage, ocrHits };
  }
  const res = await post("/search/metadata", { ...filters, page, size: PAGE, withExif: true, order: "desc" });
  return { items: res.assets.items, next: res.assets.nextPage, ocrHits: new Set(filters.ocr ? res.assets.items.map((a) => a.id) : []) };
}

// The OCR line that matched, to show under the tile ("why is this here?").
async function ocrCaptions(ids, words) {
  const out = new Map();
  await Promise.all([...ids].map(async (id) => {
    const lines = await get(`/assets/${id}/ocr`).catch(() => []);
    const hit = lines.find((l) => words.some((w) => l.text.toLowerCase().includes(w))) || lines[0];
    if (hit) out.set(id, hit.text);
  }));
  return out;
}

export async function searchPage(content, sp) {
  const { query, filters } = parseSearch(sp);
  const words = (query || filters.ocr || "").toLowerCase().split(/\s+/).filter((w) => w.length > 1);
  const box = el("div", { class: "page" });
  const summary = el("p", { class: "muted search-summary", "aria-live": "polite" });
  const panel = el("div", { class: "filter-panel", hidden: true });
  const count = Object.keys(filters).length;
  const toggle = el("button", { type: "button", class: "button", "aria-expanded": "false", "aria-controls": "filter-panel",
    onclick: async () => {
      panel.hidden = !panel.hidden;
      toggle.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden && !panel.childElementCount) await filterPanel(panel, query, filters);
    } }, "Filters", count ? ` (${count})` : "");
  panel.id = "filter-panel";
  content.replaceChildren(el("div", { class: "page-head" },
    el("h1", { class: "page-title" }, query ? `“${query}”` : "Search"), el("span", { class: "spacer" }), toggle),
  await chips(filters), panel, summary, box);
  document.title = `${query || "Search"} · photonest`;
  const box0 = document.querySelector(".search-input");
  if (box0 && query && document.activeElement !== box0) box0.value = query;
  if (!query && !count) {
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    await filterPanel(panel, query, filters);
    box.replaceChildren(el("p", { class: "empty" }, "Type in the search box, or choose filters."));
    return null;
  }
  const fetchPage = async (page) => {
    const r = await runSearch(query, filters, page);
    const captions = await ocrCaptions(r.ocrHits, words);
    return { assets: r.items, captions, more: r.next ? () => fetchPage(Number(r.next)) : null };
  };
  summary.textContent = "Searching…";
  let first;
  try { first = await fetchPage(1); } catch (e) {
    summary.textContent = "";
    box.replaceChildren(el("p", { class: "empty" }, e.status === 404 ? "This kind of search is not available on this server yet." : e.message));
    return null;
  }
  summary.textContent = `${first.assets.length}${first.more ? "+" : ""} result${first.assets.length === 1 ? "" : "s"}`;
  const grid = new AssetGrid(box, { assets: first.assets, captions: first.captions, more: first.more,
    emptyText: "No photos match this search.", onReload: () => fetchPage(1) });
  await grid.load();
  return grid;
}

// The active filters as removable chips above the results.
async function chips(filters) {
  const names = {};
  const [people, tags, albums] = await Promise.all([
    filters.personIds ? Promise.all(filters.personIds.map((id) => get(`/people/${id}`).catch(() => ({ id, name: "Someone" })))) : [],
    filters.tagIds ? get("/tags").catch(() => []) : [],
    filters.albumIds ? get("/albums").catch(() => []) : []]);
  for (const p of people) names[p.id] = p.name || "Unnamed person";
  for (const t of tags) names[t.id] = t.value;
  for (const a of albums) names[a.id] = a.albumName;
  const sp = new URLSearchParams(location.search);
  const without = (key, value) => {
    const next = new URLSearchParams(sp);
    if (value && LISTS.includes(key)) {
      const rest = next.get(key).split(",").filter((x) => x !== value);
      if (rest.length) next.set(key, rest.join(",")); else next.delete(key);
    } else next.delete(key);
    return `/search${next.toString() ? `?${next}` : ""}`;
  };
  const out = [];
  const chip = (label, key, value) => out.push(el("a", { class: "chip", href: without(key, value), "data-link": true, "aria-label": `Remove filter ${label}` }, label, " ×"));
  for (const k of LISTS) for (const id of filters[k] || []) chip(names[id] || id, k, id);
  for (const k of [...TEXTS, ...DATES]) if (sp.get(k)) chip(`${k === "takenAfter" ? "from " : k === "takenBefore" ? "until " : ""}${sp.get(k)}`, k);
  if (filters.isFavorite) chip("Favorites", "isFavorite");
  return out.length ? el("div", { class: "chips" }, ...out) : "";
}

function multi(label, name, options, chosen) {
  // A compact multi-select: checkboxes in a scrolling list (works with touch, no custom widget).
  return el("fieldset", { class: "multi" }, el("legend", {}, label),
    options.length ? el("div", { class: "multi-list" }, ...options.map(([value, text, thumb]) => el("label", { class: "inline" },
      el("input", { type: "checkbox", name, value, checked: chosen.includes(value) }),
      thumb ? el("img", { src: thumb, alt: "", class: "face small", onerror: (e) => e.target.remove() }) : null, text)))
      : el("span", { class: "muted" }, "None yet"));
}

function pick(label, name, values, chosen) {
  const s = el("select", { name, "aria-label": label }, el("option", { value: "" }, "Any"), ...values.filter(Boolean).map((v) => el("option", { value: v }, v)));
  s.value = chosen || "";
  return el("label", {}, label, s);
}

async function filterPanel(panel, query, filters) {
  const sp = new URLSearchParams(location.search);
  const safe = (p) => p.catch(() => []);
  const [people, tags, albums, countries, cities, makes, models] = await Promise.all([
    safe(get("/people?withHidden=false&size=200").then((r) => r.people)), safe(get("/tags")), safe(get("/albums")),
    safe(get("/search/suggestions?type=country")),
    safe(get(`/search/suggestions${qs({ type: "city", country: filters.country })}`)),
    safe(get("/search/suggestions?type=camera-make")),
    safe(get(`/search/suggestions${qs({ type: "camera-model", make: filters.make })}`))]);
  const text = el("input", { type: "search", name: "q", value: query, "aria-label": "Words" });
  const date = (label, name) => el("label", {}, label, el("input", { type: "date", name, value: sp.get(name) || "" }));
  const type = el("select", { name: "type", "aria-label": "Type" }, el("option", { value: "" }, "Photos and videos"),
    el("option", { value: "IMAGE" }, "Photos"), el("option", { value: "VIDEO" }, "Videos"));
  type.value = filters.type || "";
  const form = el("form", { class: "filters", "aria-label": "Search filters", onsubmit: (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const params = { q: fd.get("q")?.trim() };
    for (const k of LISTS) params[k] = fd.getAll(k);
    for (const k of [...TEXTS.filter((t) => t !== "ocr"), ...DATES]) params[k] = fd.get(k);
    if (filters.ocr) params.ocr = filters.ocr;
    if (fd.get("isFavorite")) params.isFavorite = "true";
    navigate(searchUrl(params));
  } },
  el("label", {}, "Words", text),
  multi("People", "personIds", people.map((p) => [p.id, p.name || "Unnamed", `/api/people/${p.id}/thumbnail`]), filters.personIds || []),
  el("div", { class: "filter-row" }, pick("Country", "country", countries, filters.country), pick("City", "city", cities, filters.city)),
  el("div", { class: "filter-row" }, pick("Camera make", "make", makes, filters.make), pick("Camera model", "model", models, filters.model)),
  el("div", { class: "filter-row" }, date("Taken from", "takenAfter"), date("Taken until", "takenBefore")),
  el("div", { class: "filter-row" }, el("label", {}, "Type", type),
    el("label", { class: "inline" }, el("input", { type: "checkbox", name: "isFavorite", value: "true", checked: !!filters.isFavorite }), "Favorites only")),
  multi("Tags", "tagIds", tags.map((t) => [t.id, t.value]), filters.tagIds || []),
  multi("Albums", "albumIds", albums.map((a) => [a.id, a.albumName || "Untitled"]), filters.albumIds || []),
  el("div", { class: "dialog-actions" },
    el("a", { href: "/search", "data-link": true, class: "link-button" }, "Clear all"),
    el("button", { type: "submit", class: "button" }, "Search")));
  panel.replaceChildren(form);
}
