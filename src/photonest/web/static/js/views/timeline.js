// The timeline: months from /timeline/buckets, each month's assets from /timeline/bucket, grouped by day in a
// justified layout. Only months near the viewport are in the DOM; the others are spacers of the same height.
import { get, put, del, qs, thumbUrl } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { thumbhashDataUrl } from "../thumbhash.js";
import { openViewer } from "./viewer.js";
import { addToAlbumDialog } from "./albums.js";
import { shareDialog } from "./links.js";
import { tagPicker } from "./tags.js";

const GAP = 4;
const ROWS_PER_BLOCK = 6;
const DAY_TITLE = 40;  // px: .day-title's height with its margins (app.css)
const rowHeight = () => (window.innerWidth < 600 ? 110 : 220);
const monthFmt = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

function formatDuration(ms) {
  if (ms === null || ms === undefined) return "";
  const s = Math.round(Number(ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// Lay out items (with .ratio) into rows that fill `width`; the last row keeps the target height.
export function justify(items, width, target) {
  const rows = [];
  let row = [], sum = 0;
  for (const it of items) {
    const r = it.ratio > 0 ? Math.min(Math.max(it.ratio, 0.3), 4) : 1;
    row.push({ ...it, r });
    sum += r;
    if (sum * target + GAP * (row.length - 1) >= width) {
      const h = (width - GAP * (row.length - 1)) / sum;
      rows.push({ height: h, items: row });
      row = []; sum = 0;
    }
  }
  if (row.length) rows.push({ height: target, items: row });
  return rows;
}

export class Timeline {
  constructor(container, { filters = {}, emptyText = "No photos yet. Upload some to get started.", withSelection = true, album = null, actions = null } = {}) {
    this.container = container;
    this.actions = actions;  // (ids) => extra buttons for the selection bar (person cover, remove tag ...)
    this.album = album;
    this.filters = filters;
    this.emptyText = emptyText;
    this.withSelection = withSelection;
    this.sections = [];
    this.selected = new Set();
    this.shown = new Set();
    this.lastClicked = null;
    this.order = [];  // asset ids in display order, for the viewer's next/previous
  }

  async load() {
    const buckets = await get(`/timeline/buckets${qs({ ...this.filters, withStacked: true })}`);
    const scroller = el("div", { class: "timeline", role: "feed", "aria-busy": "false" });
    this.scroller = scroller;
    this.selectionBar = el("div", { class: "selection-bar", hidden: true });
    if (!buckets.length) {
      this.container.replaceChildren(el("p", { class: "empty" }, this.emptyText));
      return;
    }
    const width = () => this.container.clientWidth - 24;
    for (const b of buckets) {
      const perRow = Math.max(1, Math.floor(width() / (rowHeight() * 1.3)));
      const estimate = Math.ceil(b.count / perRow) * (rowHeight() + GAP) + 80;
      const body = el("div", { class: "month-body" });
      body.style.height = `${estimate}px`;
      const section = el("section", { class: "month", dataset: { bucket: b.timeBucket } },
        el("h2", { class: "month-title" }, monthFmt.format(new Date(b.timeBucket))), body);
      this.sections.push({ bucket: b.timeBucket, count: b.count, section, body, data: null, rendered: false });
      scroller.append(section);
    }
    this.container.replaceChildren(this.selectionBar, scroller, this.scrubber(buckets));
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const s = this.sections.find((x) => x.section === e.target);
        if (e.isIntersecting) this.show(s); else this.hide(s);
      }
    }, { root: null, rootMargin: "150% 0px" });
    for (const s of this.sections) observer.observe(s.section);
    this.observer = observer;
    this.blocks = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) e.target._fill?.();
        else e.target.replaceChildren();
      }
    }, { root: null, rootMargin: "100% 0px" });
    let lastWidth = width();
    this.resize = new ResizeObserver(() => {
      if (Math.abs(width() - lastWidth) < 8) return;
      lastWidth = width();
      for (const s of this.sections) if (s.rendered) this.render(s);
    });
    this.resize.observe(this.container);
  }

  scrubber(buckets) {
    const years = [...new Set(buckets.map((b) => b.timeBucket.slice(0, 4)))];
    return el("nav", { class: "scrubber", "aria-label": "Jump to year" },
      ...years.map((y) => el("button", { type: "button", onclick: () => {
        const s = this.sections.find((x) => x.bucket.startsWith(y));
        s?.section.scrollIntoView({ block: "start" });
      } }, y)));
  }

  async fetchBucket(s) {
    if (!s.data) {
      s.data = get(`/timeline/bucket${qs({ ...this.filters, timeBucket: s.bucket, withStacked: true })}`);
    }
    const data = await s.data;
    for (const id of data.id) this.shown.add(id);
    return data;
  }

  // Whether an asset is already on screen (a live "upload ready" for it needs no reload).
  has(id) {
    return this.shown.has(id);
  }

  async show(s) {
    if (s.rendered) return;
    s.rendered = true;
    try {
      await this.fetchBucket(s);
      if (s.rendered) this.render(s);
    } catch (e) {
      s.rendered = false;
      s.data = null;
      toast(`Could not load ${s.bucket.slice(0, 7)}: ${e.message}`, "error");
    }
  }

  hide(s) {
    if (!s.rendered) return;
    s.rendered = false;
    s.body.style.height = `${s.body.offsetHeight}px`;
    for (const b of s.body.children) this.blocks.unobserve(b);
    s.body.replaceChildren();
  }

  async render(s) {
    const d = await s.data;
    s.resolved = d;
    const items = d.id.map((id, i) => ({
      id, i, ratio: d.ratio[i], isImage: d.isImage[i], isFavorite: d.isFavorite[i], thumbhash: d.thumbhash[i],
      duration: d.duration?.[i], livePhotoVideoId: d.livePhotoVideoId?.[i], stack: d.stack?.[i],
      local: new Date(new Date(d.fileCreatedAt[i]).getTime() + (d.localOffsetHours?.[i] || 0) * 3600e3),
    }));
    this.rebuildOrder();
    const days = new Map();
    for (const it of items) {
      const key = it.local.toISOString().slice(0, 10);
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(it);
    }
    // Rows are laid out for the whole month, but only blocks of a few rows near the viewport hold tiles: a
    // month of 5,000 photos is a column of empty, correctly sized blocks until it is scrolled to.
    const width = this.container.clientWidth - 24;
    const frag = document.createDocumentFragment();
    for (const [day, list] of days) {
      const rows = justify(list, width, rowHeight());
      for (let i = 0; i < rows.length; i += ROWS_PER_BLOCK) {
        const chunk = rows.slice(i, i + ROWS_PER_BLOCK);
        const first = i === 0;
        const height = (first ? DAY_TITLE : 0) + chunk.reduce((h, r) => h + r.height + GAP, 0);
        const block = el("div", { class: "block", dataset: { day } });
        block.style.height = `${height}px`;
        block._fill = () => {
          const parts = [];
          if (first) {
            parts.push(el("h3", { class: "day-title" },
              this.withSelection ? el("button", { type: "button", class: "select-day", "aria-label": `Select ${day}`,
                onclick: () => this.toggleMany(list.map((x) => x.id)) }, "✓") : null,
              dayFmt.format(new Date(day))));
          }
          for (const row of chunk) {
            const r = el("div", { class: "row" });
            r.style.height = `${row.height}px`;
            for (const it of row.items) r.append(this.tile(it, row.height));
            parts.push(r);
          }
          block.replaceChildren(...parts);
        };
        this.blocks.observe(block);
        frag.append(block);
      }
    }
    s.body.style.height = "";
    for (const old of s.body.children) this.blocks.unobserve(old);
    s.body.replaceChildren(frag);
  }

  tile(it, height) {
    const w = Math.floor(it.r * height);
    const placeholder = thumbhashDataUrl(it.thumbhash);
    const img = el("img", { src: thumbUrl(it.id), alt: "", loading: "lazy", decoding: "async", draggable: "false" });
    img.addEventListener("load", () => img.classList.add("loaded"));
    const a = el("a", { class: "tile", href: `/photos/${it.id}`, dataset: { id: it.id },
      "aria-label": it.isImage ? "Photo" : "Video" }, img,
      !it.isImage ? el("span", { class: "badge" }, icon("play"), formatDuration(it.duration)) : null,
      it.livePhotoVideoId ? el("span", { class: "badge live" }, "LIVE") : null,
      it.stack ? el("span", { class: "badge stack", title: `Stack of ${it.stack[1]}` }, `⧉ ${it.stack[1]}`) : null,
      it.isFavorite ? el("span", { class: "fav" }, icon("favorite")) : null,
      this.withSelection ? el("span", { class: "check", role: "checkbox", "aria-checked": String(this.selected.has(it.id)),
        "aria-label": "Select" }) : null);
    a.style.width = `${w}px`;
    if (placeholder) a.style.backgroundImage = `url(${placeholder})`;
    a.classList.toggle("selected", this.selected.has(it.id));
    a.addEventListener("click", (e) => {
      e.preventDefault();
      const onCheck = e.target.closest(".check");
      if (onCheck || this.selected.size || e.shiftKey) return this.clickSelect(it.id, e.shiftKey);
      openViewer(it.id, this);
    });
    return a;
  }

  rebuildOrder() {
    const ids = [];
    for (const s of this.sections) {
      const d = s.resolved;
      if (d) ids.push(...d.id);
    }
    this.order = ids;
  }

  async neighbour(id, step) {
    // Next/previous across months, loading the neighbouring month when needed.
    for (const s of this.sections) if (s.data && !s.resolved) s.resolved = await s.data;
    this.rebuildOrder();
    let i = this.order.indexOf(id);
    if (i >= 0 && this.order[i + step]) return this.order[i + step];
    const si = this.sections.findIndex((s) => s.resolved?.id.includes(id));
    const next = this.sections[si + step];
    if (!next) return null;
    next.resolved = await this.fetchBucket(next);
    this.rebuildOrder();
    i = this.order.indexOf(id);
    return this.order[i + step] || null;
  }

  async clickSelect(id, shift) {
    if (shift && this.lastClicked) {
      // A range may span months whose assets are still arriving: wait for them, or the range is cut short.
      for (const s of this.sections) if (s.data && !s.resolved) s.resolved = await s.data;
      this.rebuildOrder();
      const a = this.order.indexOf(this.lastClicked), b = this.order.indexOf(id);
      if (a >= 0 && b >= 0) {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        for (const x of this.order.slice(lo, hi + 1)) this.selected.add(x);
      } else this.selected.add(id);  // the range's other end is not laid out (a reload is under way): this one
    } else if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
    this.lastClicked = id;
    this.refreshSelection();
  }

  toggleMany(ids) {
    const all = ids.every((x) => this.selected.has(x));
    for (const x of ids) { if (all) this.selected.delete(x); else this.selected.add(x); }
    this.refreshSelection();
  }

  refreshSelection() {
    for (const t of this.container.querySelectorAll(".tile")) {
      const on = this.selected.has(t.dataset.id);
      t.classList.toggle("selected", on);
      t.querySelector(".check")?.setAttribute("aria-checked", String(on));
    }
    const n = this.selected.size;
    this.selectionBar.hidden = n === 0;
    if (!n) return;
    const ids = [...this.selected];
    const act = (label, fn) => el("button", { type: "button", onclick: async () => {
      try { if (await fn() === false) return; this.selected.clear(); this.refreshSelection(); await this.reload(); }  // false: cancelled
      catch (e) { toast(e.message, "error"); }
    } }, label);
    this.selectionBar.replaceChildren(...[
      el("button", { type: "button", "aria-label": "Clear selection", onclick: () => { this.selected.clear(); this.refreshSelection(); } }, icon("close")),
      el("span", { class: "count" }, `${n} selected`),
      el("span", { class: "spacer" }),
      act("Favorite", () => put("/assets", { ids, isFavorite: true })),
      this.filters.isTrashed ? null : act(this.filters.visibility === "archive" ? "Unarchive" : "Archive",
        () => put("/assets", { ids, visibility: this.filters.visibility === "archive" ? "timeline" : "archive" })),
      this.filters.isTrashed
        ? act("Restore", () => import("../api.js").then(({ post }) => post("/trash/restore/assets", { ids })))
        : act("Delete", () => del("/assets", { ids })),
      this.filters.isTrashed ? null : act(this.filters.visibility === "locked" ? "Move out of locked folder" : "Move to locked folder",
        () => put("/assets", { ids, visibility: this.filters.visibility === "locked" ? "timeline" : "locked" })),
      this.filters.isTrashed || this.filters.visibility === "locked" ? null : el("button", { type: "button", onclick: async () => {
        if (await addToAlbumDialog(ids)) { this.selected.clear(); this.refreshSelection(); }
      } }, "Add to album"),
      this.album ? act("Remove from album", () => del(`/albums/${this.album.id}/assets`, { ids })) : null,
      this.filters.isTrashed || this.filters.visibility === "locked" ? null
        : el("button", { type: "button", onclick: () => shareDialog({ assetIds: ids }) }, "Share"),
      this.filters.isTrashed ? null : act("Tag", () => tagPicker(ids)),
      this.album && ids.length === 1 ? el("button", { type: "button",
        onclick: async () => {
          try { await import("../api.js").then(({ api }) => api("PATCH", `/albums/${this.album.id}`, { albumThumbnailAssetId: ids[0] })); toast("Album cover set"); }
          catch (e) { toast(e.message, "error"); }
        } }, "Set as cover") : null,
      ...(this.actions?.(ids) || []),
      el("button", { type: "button", onclick: () => downloadMany(ids) }, "Download")].filter(Boolean));
  }

  async reload() {
    this.observer?.disconnect();
    this.blocks?.disconnect();
    this.resize?.disconnect();
    this.sections = [];
    this.shown.clear();
    await this.load();
  }

  destroy() {
    this.observer?.disconnect();
    this.blocks?.disconnect();
    this.resize?.disconnect();
  }
}

async function downloadMany(ids) {
  // One photo: its original. More: a ZIP the server streams (ZIP64, originals with live-photo videos alongside).
  if (ids.length === 1) {
    const a = el("a", { href: `/api/assets/${ids[0]}/original`, download: "" });
    document.body.append(a);
    a.click();
    a.remove();
    return;
  }
  toast(`Preparing a ZIP of ${ids.length} items…`);
  const res = await fetch("/api/download/archive", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ assetIds: ids }) });
  if (!res.ok) return toast((await res.json().catch(() => ({}))).message || res.statusText, "error");
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: `photonest-${new Date().toISOString().slice(0, 10)}.zip` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
