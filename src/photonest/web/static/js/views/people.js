// People: everyone found in your photos (named first, hidden ones on request), "same person?" questions, and
// one person's page (their timeline; name, favourite, hide, birth date, cover face, merge). Also the face list
// of the viewer's info panel, where a face is moved to another person or removed.
import { get, post, put, api, qs } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { navigate } from "../router.js";
import { Timeline } from "./timeline.js";

export const faceUrl = (id, updatedAt) => `/api/people/${id}/thumbnail${updatedAt ? `?v=${encodeURIComponent(updatedAt)}` : ""}`;

function face(p, cls = "face") {
  const img = el("img", { src: faceUrl(p.id, p.updatedAt), alt: "", class: cls, loading: "lazy" });
  img.addEventListener("error", () => img.replaceWith(el("span", { class: `${cls} placeholder`, "aria-hidden": "true" }, (p.name || "?").slice(0, 1).toUpperCase())));
  return img;
}

const plural = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;

async function allPeople(withHidden) {
  const out = [];
  for (let page = 1; page < 50; page++) {
    const r = await get(`/people${qs({ withHidden, page, size: 500 })}`);
    out.push(...r.people);
    if (!r.hasNextPage) return { people: out, total: r.total, hidden: r.hidden };
  }
  return { people: out, total: out.length, hidden: 0 };
}

function personCard(p) {
  const count = el("span", { class: "muted" });
  get(`/people/${p.id}/statistics`).then((s) => { count.textContent = plural(s.assets, "photo"); }).catch(() => {});
  return el("a", { class: `person-card${p.isHidden ? " hidden-person" : ""}`, href: `/people/${p.id}`, "data-link": true,
    "aria-label": p.name || "Unnamed person" },
  face(p), el("strong", { class: "name" }, p.name || "Add a name"), count,
  p.isFavorite ? el("span", { class: "fav-mark", title: "Favorite" }, "♥") : null,
  p.isHidden ? el("span", { class: "muted" }, "Hidden") : null);
}

export async function peoplePage(content, sp) {
  const withHidden = sp?.get("hidden") === "true";
  const { people, total, hidden } = await allPeople(withHidden);
  const named = people.filter((p) => p.name), unnamed = people.filter((p) => !p.name);
  const suggestions = await get("/people/suggestions?limit=6").catch(() => []);
  const grid = (list) => el("div", { class: "people-grid" }, ...list.map(personCard));
  content.replaceChildren(...[
    el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "People"),
      el("span", { class: "muted" }, `${total} ${total === 1 ? "person" : "people"}${hidden ? ` · ${hidden} hidden` : ""}`),
      el("span", { class: "spacer" }),
      el("a", { href: withHidden ? "/people" : "/people?hidden=true", "data-link": true, class: "link-button" },
        withHidden ? "Hide hidden people" : "Show hidden people")),
    suggestions.length ? sameQuestions(suggestions) : null,
    !people.length ? el("p", { class: "empty" }, "No people yet. Faces are found as photos are processed.") : null,
    named.length ? grid(named) : null,
    unnamed.length ? el("h2", { class: "section-title" }, "Not named yet") : null,
    unnamed.length ? grid(unnamed) : null].filter(Boolean));
}

// "Are these the same person?" answered with one click: yes merges the second into the first, no is remembered
// by the server (POST /people/suggestions/answers) so the pair is not asked again; "Not now" only skips it.
function sameQuestions(pairs) {
  const box = el("section", { class: "same-person", "aria-label": "Same person?" }, el("h2", { class: "section-title" }, "Same person?"));
  const answer = async (s, same, row) => {
    try {
      const res = await post("/people/suggestions/answers", { personId: s.person.id, otherId: s.other.id, samePerson: same })
        .catch((e) => {
          // A server without answers: merge directly; "no" is then only skipped.
          if (e.status === 404 && same) return post(`/people/${s.person.id}/merge`, { ids: [s.other.id] });
          if (e.status === 404) return [];
          throw e;
        });
      if (same && !res.some((r) => r.success)) throw new Error(res[0]?.error || "Could not merge");
      toast(same ? "Merged" : "Noted: not the same person");
      row.remove();
      if (!box.querySelector(".same-row")) box.remove();
    } catch (e) { toast(e.message, "error"); }
  };
  for (const s of pairs) {
    const row = el("div", { class: "same-row" }, face(s.person), face(s.other),
      el("span", {}, `${s.person.name || "Unnamed"} and ${s.other.name || "unnamed"}`),
      el("span", { class: "spacer" }),
      el("button", { type: "button", class: "button", onclick: () => answer(s, true, row) }, "Yes, same person"),
      el("button", { type: "button", class: "link-button", onclick: () => answer(s, false, row) }, "Not the same"),
      el("button", { type: "button", class: "link-button", onclick: () => row.remove() }, "Not now"));
    box.append(row);
  }
  return box;
}

// Pick a person (for merging or moving a face). Resolves with the person, { create: name }, or null.
export async function choosePerson(title, { exclude = [], allowNew = false } = {}) {
  const { people } = await allPeople(false);
  const candidates = people.filter((p) => !exclude.includes(p.id));
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "dialog", "aria-label": title });
    const finish = (v) => { dialog.close(); dialog.remove(); resolve(v); };
    const filter = el("input", { type: "search", placeholder: "Name", "aria-label": "Find person" });
    const list = el("ul", { class: "album-pick" });
    const paint = () => {
      const q = filter.value.trim().toLowerCase();
      list.replaceChildren(...candidates.filter((p) => !q || (p.name || "").toLowerCase().includes(q)).slice(0, 100).map((p) =>
        el("li", {}, el("button", { type: "button", class: "person-pick", onclick: () => finish(p) }, face(p, "face small"), p.name || "Unnamed person"))));
    };
    filter.addEventListener("input", paint);
    paint();
    dialog.append(el("h2", {}, title), filter, list,
      el("div", { class: "dialog-actions" },
        allowNew ? el("button", { type: "button", onclick: () => {
          const name = filter.value.trim() || prompt("Name of the new person") || "";
          finish({ create: name.trim() });
        } }, "New person") : null,
        el("button", { type: "button", onclick: () => finish(null) }, "Cancel")));
    dialog.addEventListener("cancel", () => finish(null));
    document.body.append(dialog);
    dialog.showModal();
    filter.focus();
  });
}

export async function personPage(content, id) {
  let p;
  try { p = await get(`/people/${id}`); } catch (e) {
    content.replaceChildren(el("p", { class: "empty" }, e.message));
    return null;
  }
  const update = async (body, message) => {
    try { p = await put(`/people/${id}`, body); if (message) toast(message); return true; }
    catch (e) { toast(e.message, "error"); return false; }
  };
  const name = el("input", { class: "album-title", value: p.name, placeholder: "Add a name", "aria-label": "Name" });
  name.addEventListener("change", () => update({ name: name.value.trim() }, "Name saved").then(() => { document.title = `${p.name || "Person"} · photonest`; }));
  name.addEventListener("keydown", (e) => { if (e.key === "Enter") name.blur(); });
  const birth = el("input", { type: "date", value: p.birthDate || "", "aria-label": "Birth date", max: new Date().toISOString().slice(0, 10) });
  birth.addEventListener("change", () => update({ birthDate: birth.value || null }, birth.value ? "Birth date saved" : "Birth date removed"));
  const count = el("span", { class: "muted" });
  get(`/people/${id}/statistics`).then((s) => { count.textContent = plural(s.assets, "photo"); }).catch(() => {});
  const fav = el("button", { type: "button", class: "icon-button", "aria-label": "Favorite", "aria-pressed": String(p.isFavorite),
    onclick: async () => { if (await update({ isFavorite: !p.isFavorite })) fav.setAttribute("aria-pressed", String(p.isFavorite)); } }, icon("favorite"));
  const hide = el("button", { type: "button", class: "link-button", onclick: async () => {
    if (await update({ isHidden: !p.isHidden }, p.isHidden ? "Shown again" : "Hidden from People")) hide.textContent = p.isHidden ? "Unhide" : "Hide";
  } }, p.isHidden ? "Unhide" : "Hide");
  const merge = el("button", { type: "button", class: "link-button", onclick: async () => {
    const other = await choosePerson(`Merge with ${p.name || "this person"}`, { exclude: [id] });
    if (!other) return;
    if (!confirm(`Merge ${other.name || "this unnamed person"} into ${p.name || "this person"}? Their faces move here.`)) return;
    try {
      const [r] = await post(`/people/${id}/merge`, { ids: [other.id] });
      if (!r.success) throw new Error(r.error || "Could not merge");
      toast("Merged"); navigate(`/people/${id}`, { replace: true });
    } catch (e) { toast(e.message, "error"); }
  } }, "Merge with…");
  const box = el("div", { class: "page" });
  content.replaceChildren(
    el("div", { class: "page-head person-head" },
      el("a", { href: "/people", "data-link": true, class: "icon-button", "aria-label": "Back to people" }, icon("left")),
      face(p, "face large"), name, fav),
    el("div", { class: "person-actions" }, count, el("label", { class: "inline" }, "Born", birth), hide, merge,
      el("span", { class: "muted hint" }, "To choose the cover, select one photo and pick “Use as cover”.")),
    box);
  document.title = `${p.name || "Person"} · photonest`;
  const timeline = new Timeline(box, { filters: { personId: id }, emptyText: "No photos of this person.",
    actions: (ids) => ids.length === 1 ? [el("button", { type: "button", onclick: async () => {
      if (await update({ featureFaceAssetId: ids[0] }, "Cover face changed")) {
        const img = content.querySelector(".person-head .face");
        img?.replaceWith(face(p, "face large"));
      }
    } }, "Use as cover")] : [] });
  await timeline.load();
  return timeline;
}

// The viewer's "People" section: each face with its person; move it to someone else or remove it.
export async function facesSection(asset, onChange) {
  let faces;
  try { faces = await get(`/faces${qs({ id: asset.id })}`); } catch { return null; }
  if (!faces.length) return null;
  const preview = `/api/assets/${asset.id}/thumbnail?size=preview`;
  const crop = (f) => {
    // The face cut out of the preview with CSS: scale so the box fills the 48 px square.
    const w = (f.boundingBoxX2 - f.boundingBoxX1) / f.imageWidth, h = (f.boundingBoxY2 - f.boundingBoxY1) / f.imageHeight;
    const d = el("span", { class: "face small crop", "aria-hidden": "true" });
    d.style.backgroundImage = `url(${preview})`;
    d.style.backgroundSize = `${100 / w}% ${100 / h}%`;
    const px = w < 1 ? (f.boundingBoxX1 / f.imageWidth) / (1 - w) * 100 : 0, py = h < 1 ? (f.boundingBoxY1 / f.imageHeight) / (1 - h) * 100 : 0;
    d.style.backgroundPosition = `${px}% ${py}%`;
    return d;
  };
  const move = async (f) => {
    const target = await choosePerson("Who is this?", { exclude: f.person ? [f.person.id] : [], allowNew: true });
    if (!target) return;
    try {
      const person = target.create !== undefined ? await post("/people", { name: target.create }) : target;
      await put(`/faces/${person.id}`, { id: f.id });
      toast(`Face moved to ${person.name || "a new person"}`);
      onChange();
    } catch (e) { toast(e.message, "error"); }
  };
  const remove = async (f) => {
    if (!confirm("Remove this face? The photo stays; it is no longer linked to a person.")) return;
    try { await api("DELETE", `/faces/${f.id}`, { force: true }); toast("Face removed"); onChange(); }
    catch (e) { toast(e.message, "error"); }
  };
  // Hovering (or focusing) a face in the list outlines it on the photo.
  let outline = null;
  const mark = (f) => {
    outline?.remove();
    const media = document.querySelector(".viewer .stage .media");
    if (!f || !media) return;
    const x = f.boundingBoxX1 / f.imageWidth, y = f.boundingBoxY1 / f.imageHeight;
    const w = (f.boundingBoxX2 - f.boundingBoxX1) / f.imageWidth, h = (f.boundingBoxY2 - f.boundingBoxY1) / f.imageHeight;
    outline = el("div", { class: "face-outline", "aria-hidden": "true" });
    Object.assign(outline.style, { left: `${media.offsetLeft + x * media.offsetWidth}px`, top: `${media.offsetTop + y * media.offsetHeight}px`,
      width: `${w * media.offsetWidth}px`, height: `${h * media.offsetHeight}px` });
    media.parentElement.append(outline);
  };
  return el("section", { class: "faces", "aria-label": "People in this photo" }, el("h3", {}, "People"),
    el("ul", { class: "face-list" }, ...faces.map((f) => el("li", { onmouseenter: () => mark(f), onmouseleave: () => mark(null),
      onfocusin: () => mark(f), onfocusout: () => mark(null) }, crop(f),
      f.person ? el("a", { href: `/people/${f.person.id}`, "data-link": true }, f.person.name || "Unnamed person") : el("span", { class: "muted" }, "Unknown"),
      el("span", { class: "spacer" }),
      el("button", { type: "button", class: "link-button", "aria-label": `Change person of face ${f.person?.name || ""}`.trim(), onclick: () => move(f) }, "Change"),
      el("button", { type: "button", class: "danger-link", "aria-label": `Remove face ${f.person?.name || ""}`.trim(), onclick: () => remove(f) }, "Remove")))));
}

