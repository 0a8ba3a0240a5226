// "On this day" memories as a strip of cards above the timeline; a card opens its photos in the viewer.
import { get, thumbUrl } from "../api.js";
import { el } from "../dom.js";
import { openViewer } from "./viewer.js";
import { preferences } from "../prefs.js";

// The viewer asks its source for neighbours; a memory is a fixed list of photos.
class ListSource {
  constructor(ids) { this.ids = ids; }
  async neighbour(id, step) { return this.ids[this.ids.indexOf(id) + step] || null; }
  reload() {}
}

export async function memoriesStrip() {
  let memories = [];
  if ((await preferences()).memories?.enabled === false) return null;  // turned off in Account settings
  try { memories = await get(`/memories?for=${encodeURIComponent(new Date().toISOString())}`); } catch { return null; }
  if (!memories.length) return null;
  const thisYear = new Date().getFullYear();
  return el("section", { class: "memories", "aria-label": "Memories" },
    ...memories.map((m) => {
      const years = thisYear - (m.data?.year ?? thisYear);
      const label = years === 1 ? "1 year ago" : `${years} years ago`;
      const cover = m.assets[0];
      return el("button", { type: "button", class: "memory-card", "aria-label": `${label}, ${m.assets.length} photos`,
        onclick: () => openViewer(cover.id, new ListSource(m.assets.map((a) => a.id))) },
        el("img", { src: thumbUrl(cover.id, "preview"), alt: "" }),  // a few cards at the top: load at once
        el("span", { class: "memory-label" }, label));
    }));
}
