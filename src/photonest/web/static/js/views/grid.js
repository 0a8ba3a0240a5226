// A flat, justified grid of assets (search results, explore): the timeline's tiles, selection bar and viewer
// navigation, fed by a list of AssetResponseDto instead of time buckets. `more()` pages in further results.
import { el } from "../dom.js";
import { Timeline, justify } from "./timeline.js";

const rowHeight = () => (window.innerWidth < 600 ? 110 : 200);

// Width / height as shown: EXIF orientations 5-8 are rotated a quarter turn.
export function ratioOf(a) {
  const ex = a.exifInfo || {};
  let w = a.width || ex.exifImageWidth, h = a.height || ex.exifImageHeight;
  if (!a.width && ["5", "6", "7", "8"].includes(String(ex.orientation))) [w, h] = [h, w];
  return w && h ? w / h : 1;
}

function durationMs(d) {
  // Immich sends "H:MM:SS.ffffff"; the timeline's tiles take milliseconds.
  if (!d || typeof d !== "string") return d ?? null;
  const [h, m, s] = d.split(":").map(Number);
  return ((h * 60 + m) * 60 + s) * 1000;
}

export class AssetGrid extends Timeline {
  // captions: id -> text shown under the tile (e.g. the OCR line that matched).
  constructor(container, { assets = [], captions = new Map(), emptyText = "Nothing found.", more = null, onReload = null } = {}) {
    super(container, { filters: {}, emptyText });
    this.assets = assets;
    this.captions = captions;
    this.more = more;
    this.onReload = onReload;
  }

  async load() {
    this.selectionBar = el("div", { class: "selection-bar", hidden: true });
    if (!this.assets.length) {
      this.container.replaceChildren(el("p", { class: "empty" }, this.emptyText));
      return;
    }
    this.gridBox = el("div", { class: "grid", role: "feed" });
    this.moreButton = el("button", { type: "button", class: "button more", hidden: !this.more, onclick: () => this.loadMore() }, "Show more");
    this.container.replaceChildren(this.selectionBar, this.gridBox, this.moreButton);
    this.render();
    let lastWidth = this.container.clientWidth;
    this.resize = new ResizeObserver(() => {
      if (Math.abs(this.container.clientWidth - lastWidth) < 8) return;
      lastWidth = this.container.clientWidth;
      this.render();
    });
    this.resize.observe(this.container);
  }

  render() {
    const items = this.assets.map((a) => ({
      id: a.id, ratio: ratioOf(a), isImage: a.type !== "VIDEO", isFavorite: a.isFavorite, thumbhash: a.thumbhash,
      duration: durationMs(a.duration), livePhotoVideoId: a.livePhotoVideoId, stack: a.stack ? [a.stack.id, a.stack.assetCount] : null,
    }));
    this.order = items.map((x) => x.id);
    const width = Math.max(200, this.container.clientWidth - 8);
    const rows = justify(items, width, rowHeight());
    this.gridBox.replaceChildren(...rows.map((row) => {
      const r = el("div", { class: "row" });
      r.style.height = `${row.height}px`;
      for (const it of row.items) {
        const t = this.tile(it, row.height);
        const caption = this.captions.get(it.id);
        if (caption) t.append(el("span", { class: "caption", title: caption }, caption));
        r.append(t);
      }
      return r;
    }));
  }

  async loadMore() {
    if (!this.more) return;
    this.moreButton.disabled = true;
    const next = await this.more();
    this.moreButton.disabled = false;
    if (!next) return;
    this.assets.push(...next.assets);
    for (const [k, v] of next.captions || []) this.captions.set(k, v);
    this.more = next.more;
    this.moreButton.hidden = !this.more;
    this.render();
  }

  rebuildOrder() { /* order is set by render() */ }

  async neighbour(id, step) {
    let i = this.order.indexOf(id);
    if (i + step >= this.order.length && this.more) { await this.loadMore(); i = this.order.indexOf(id); }
    return this.order[i + step] || null;
  }

  // onReload() fetches the first page again ({ assets, captions, more }), e.g. after a delete in the viewer.
  async reload() {
    this.resize?.disconnect();
    const fresh = await this.onReload?.();
    if (fresh) Object.assign(this, { assets: fresh.assets, captions: fresh.captions, more: fresh.more });
    return this.load();
  }

  destroy() { this.resize?.disconnect(); }
}
