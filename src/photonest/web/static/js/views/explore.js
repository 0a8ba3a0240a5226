// Explore: the people you photograph most, the places you have been, and the things in your photos. Places and
// things come from GET /search/explore (Immich's fields "exifInfo.city" and "smartInfo.objects"); when it has no
// places (or the server lacks it), they come from GET /search/cities (one photo per city).
import { get, thumbUrl } from "../api.js";
import { el } from "../dom.js";
import { searchUrl } from "./search.js";
import { faceUrl } from "./people.js";

function card(href, img, label, round = false) {
  return el("a", { class: `explore-card${round ? " round" : ""}`, href, "data-link": true },
    el("img", { src: img, alt: "", loading: "lazy", onerror: (e) => e.target.classList.add("broken") }), el("span", { class: "label" }, label));
}

function row(title, moreHref, cards) {
  return el("section", { class: "explore-section", "aria-label": title },
    el("div", { class: "page-head" }, el("h2", { class: "section-title" }, title), el("span", { class: "spacer" }),
      moreHref ? el("a", { href: moreHref, "data-link": true, class: "link-button" }, "View all") : null),
    el("div", { class: "explore-row" }, ...cards));
}

export async function explorePage(content) {
  const [people, explore] = await Promise.all([
    get("/people?size=12").catch(() => ({ people: [] })),
    get("/search/explore").catch(() => null)]);
  const field = (name) => explore?.find((f) => f.fieldName === name)?.items || null;
  let places = field("exifInfo.city");
  if (!places?.length) {
    // Explore lists cities with 5 photos or more (as Immich); a young library still gets its places.
    const assets = await get("/search/cities").catch(() => []);
    places = assets.filter((a) => a.exifInfo?.city).map((a) => ({ value: a.exifInfo.city, data: a }));
  }
  const things = field("smartInfo.objects") || field("smartInfo.tags") || [];
  const named = people.people.filter((p) => p.name);
  const shown = (named.length ? named : people.people).slice(0, 12);
  const sections = [
    shown.length ? row("People", "/people", shown.map((p) => card(`/people/${p.id}`, faceUrl(p.id, p.updatedAt), p.name || "Unnamed", true))) : null,
    places.length ? row("Places", null, places.slice(0, 24).map((pl) => card(searchUrl({ city: pl.value }), thumbUrl(pl.data.id), pl.value))) : null,
    things.length ? row("Things", null, things.slice(0, 24).map((t) => card(searchUrl({ q: t.value }), thumbUrl(t.data.id), t.value))) : null,
  ].filter(Boolean);
  content.replaceChildren(el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Explore")),
    ...(sections.length ? sections : [el("p", { class: "empty" }, "Explore fills up as your photos are processed: people, places and things appear here.")]));
  document.title = "Explore · photonest";
}
