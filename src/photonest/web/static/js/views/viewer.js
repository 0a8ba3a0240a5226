// The full-screen viewer: preview or video, next/previous (keys, buttons, swipes), zoom, info panel with
// editable description and rating, favourite, archive, delete, download.
import { get, put, del, thumbUrl } from "../api.js";
import { el, icon, toast, formatBytes } from "../dom.js";
import { shareDialog } from "./links.js";
import { addToAlbumDialog } from "./albums.js";
import { infoExtras } from "./viewer_extras.js";
import { facesSection } from "./people.js";
import { tagsSection } from "./tags.js";
import { preferences } from "../prefs.js";

let current = null;

function field(label, value) {
  return value === null || value === undefined || value === "" ? null : el("div", { class: "field" }, el("dt", {}, label), el("dd", {}, String(value)));
}

function localDate(asset) {
  const ex = asset.exifInfo || {};
  const when = ex.dateTimeOriginal || asset.localDateTime || asset.fileCreatedAt;
  const tz = ex.timeZone || "UTC";
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short", timeZone: tz.startsWith("UTC") && tz.length > 3 ? undefined : tz })
      .format(new Date(when)) + (ex.timeZone ? ` (${ex.timeZone})` : "");
  } catch {
    return new Date(when).toLocaleString();
  }
}

function infoPanel(asset, onChange) {
  const ex = asset.exifInfo || {};
  const desc = el("textarea", { rows: 2, placeholder: "Add a description", "aria-label": "Description" });
  desc.value = ex.description || "";
  desc.addEventListener("change", async () => {
    try { await put(`/assets/${asset.id}`, { description: desc.value }); toast("Description saved"); }
    catch (e) { toast(e.message, "error"); }
  });
  const stars = el("div", { class: "rating", role: "radiogroup", "aria-label": "Rating" },
    ...[1, 2, 3, 4, 5].map((n) => el("button", { type: "button", role: "radio", "aria-checked": String((ex.rating || 0) === n),
      class: (ex.rating || 0) >= n ? "on" : "", "aria-label": `${n} star${n > 1 ? "s" : ""}`,
      onclick: async () => {
        const rating = (ex.rating || 0) === n ? 0 : n;
        try { await put(`/assets/${asset.id}`, { rating }); onChange(); } catch (e) { toast(e.message, "error"); }
      } }, "★")));
  // "Canon" + "Canon EOS 6D" reads as "Canon EOS 6D", like Immich shows it.
  const camera = ex.make && ex.model?.toLowerCase().startsWith(ex.make.split(" ")[0].toLowerCase())
    ? ex.model : [ex.make, ex.model].filter(Boolean).join(" ");
  const exposure = [ex.fNumber ? `ƒ/${ex.fNumber}` : null, ex.exposureTime ? `${ex.exposureTime} s` : null,
    ex.focalLength ? `${ex.focalLength} mm` : null, ex.iso ? `ISO ${ex.iso}` : null].filter(Boolean).join(" · ");
  const place = [ex.city, ex.state, ex.country].filter(Boolean).join(", ");
  // Star ratings show when turned on in Account settings (off by default, as in Immich).
  stars.hidden = true;
  preferences().then((p) => { stars.hidden = p.ratings?.enabled !== true; });
  const faces = el("div", { class: "faces-slot" });
  facesSection(asset, onChange).then((s) => s && faces.replaceChildren(s));
  return el("aside", { class: "info-panel", "aria-label": "Info" },
    el("h2", {}, "Info"), desc, stars,
    el("dl", {},
      field("Date", localDate(asset)),
      field("File", asset.originalFileName),
      field("Size", [ex.exifImageWidth && ex.exifImageHeight ? `${ex.exifImageWidth} × ${ex.exifImageHeight}` : null, formatBytes(ex.fileSizeInByte)].filter(Boolean).join(" · ")),
      field("Camera", camera),
      field("Lens", ex.lensModel),
      field("Exposure", exposure),
      field("Place", place),
      field("Coordinates", ex.latitude != null && ex.longitude != null ? `${ex.latitude.toFixed(5)}, ${ex.longitude.toFixed(5)}` : null)),
    faces, tagsSection(asset, onChange), infoExtras(asset));
}

export async function openViewer(id, timeline) {
  current?.close(false);
  const overlay = el("div", { class: "viewer", role: "dialog", "aria-modal": "true", "aria-label": "Photo viewer", tabindex: "-1" });
  const stage = el("div", { class: "stage" });
  let asset = null, showInfo = false, zoom = 1, startX = null, showText = false, ocrLines = [];
  const previousUrl = location.pathname + location.search;

  const close = (restoreUrl = true) => {
    overlay.remove();
    document.removeEventListener("keydown", onKey);
    if (restoreUrl && location.pathname.startsWith("/photos/")) history.pushState({}, "", previousUrl.startsWith("/photos/") ? "/photos" : previousUrl);
    current = null;
  };
  const go = async (step) => {
    if (!asset) return;  // a key pressed before the first photo loaded
    const next = await timeline?.neighbour(asset.id, step);
    if (next) show(next); else toast(step > 0 ? "This is the last photo" : "This is the first photo");
  };
  const bar = () => el("div", { class: "viewer-bar" },
    el("button", { type: "button", class: "icon-button", "aria-label": "Close", onclick: () => close() }, icon("close")),
    el("span", { class: "spacer" }),
    el("button", { type: "button", class: "icon-button", "aria-label": asset.isFavorite ? "Unfavorite" : "Favorite", "aria-pressed": String(asset.isFavorite),
      onclick: async () => { await put(`/assets/${asset.id}`, { isFavorite: !asset.isFavorite }); show(asset.id); } }, icon("favorite")),
    el("a", { class: "icon-button", href: `/api/assets/${asset.id}/original`, download: asset.originalFileName, "aria-label": "Download" }, icon("download")),
    el("button", { type: "button", class: "icon-button", "aria-label": "Share", onclick: () => shareDialog({ assetIds: [asset.id] }) }, icon("share")),
    el("button", { type: "button", class: "icon-button", "aria-label": "Add to album", onclick: async () => {
      if (await addToAlbumDialog([asset.id]) && showInfo) show(asset.id);
    } }, icon("albums")),
    el("button", { type: "button", class: "icon-button", "aria-label": "Archive", onclick: async () => {
      await put(`/assets/${asset.id}`, { visibility: asset.visibility === "archive" ? "timeline" : "archive" });
      toast(asset.visibility === "archive" ? "Moved to timeline" : "Archived"); await go(1); timeline?.reload();
    } }, icon("archive")),
    ocrLines.length ? el("button", { type: "button", class: "icon-button", "aria-label": "Show text", "aria-pressed": String(showText),
      title: "Show the text found in this photo", onclick: () => { showText = !showText; show(asset.id); } }, icon("text")) : null,
    el("button", { type: "button", class: "icon-button", "aria-label": "Info", "aria-pressed": String(showInfo),
      onclick: () => { showInfo = !showInfo; show(asset.id); } }, icon("info")),
    el("button", { type: "button", class: "icon-button", "aria-label": "Delete", onclick: async () => {
      try { await del("/assets", { ids: [asset.id] }); toast("Moved to trash"); } catch (e) { return toast(e.message, "error"); }
      const next = await timeline?.neighbour(asset.id, 1);
      timeline?.reload();
      if (next) show(next); else close();
    } }, icon("trash")));

  async function show(assetId) {
    try { asset = await get(`/assets/${assetId}`); } catch (e) { toast(e.message, "error"); return close(); }
    ocrLines = asset.type === "IMAGE" ? await get(`/assets/${assetId}/ocr`).catch(() => []) : [];
    if (location.pathname !== `/photos/${assetId}`) history.replaceState({}, "", `/photos/${assetId}`);
    zoom = 1;
    const media = asset.type === "VIDEO"
      ? el("video", { src: `/api/assets/${asset.id}/video/playback`, poster: thumbUrl(asset.id, "preview"), controls: true, autoplay: true, playsinline: true })
      : el("img", { src: thumbUrl(asset.id, "preview"), alt: asset.exifInfo?.description || asset.originalFileName, draggable: "false" });
    media.classList.add("media");
    media.addEventListener("dblclick", () => { zoom = zoom === 1 ? 2.5 : 1; media.style.transform = `scale(${zoom})`; });
    stage.replaceChildren(media,
      el("button", { type: "button", class: "nav prev", "aria-label": "Previous", onclick: () => go(-1) }, icon("left")),
      el("button", { type: "button", class: "nav next", "aria-label": "Next", onclick: () => go(1) }, icon("right")));
    overlay.replaceChildren(bar(), el("div", { class: "viewer-body" }, stage, showInfo ? infoPanel(asset, () => show(asset.id)) : null));
    if (showText && ocrLines.length) ocrBoxes(stage, media, ocrLines);
  }

  function onKey(e) {
    if (e.target.closest?.("textarea, input")) return;
    if (e.key === "Escape") close();
    else if (e.key === "ArrowRight") go(1);
    else if (e.key === "ArrowLeft") go(-1);
    else if (e.key === "i") { showInfo = !showInfo; show(asset.id); }
    else if (e.key === "f") put(`/assets/${asset.id}`, { isFavorite: !asset.isFavorite }).then(() => show(asset.id));
  }
  overlay.addEventListener("pointerdown", (e) => { startX = e.clientX; });
  overlay.addEventListener("pointerup", (e) => {
    if (startX === null || zoom !== 1) return;
    const dx = e.clientX - startX;
    startX = null;
    if (Math.abs(dx) > 60 && e.pointerType !== "mouse") go(dx < 0 ? 1 : -1);
  });
  document.addEventListener("keydown", onKey);
  document.body.append(overlay);
  current = { close };
  if (location.pathname !== `/photos/${id}`) history.pushState({}, "", `/photos/${id}`);
  await show(id);
  overlay.focus();
}

export function closeViewer() { current?.close(false); }

// The text found in the photo, drawn as boxes over it (OCR quads in 0..1 of the image); each box names its text.
function ocrBoxes(stage, media, lines) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "ocr-boxes");
  svg.setAttribute("viewBox", "0 0 1 1");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "list");
  svg.setAttribute("aria-label", "Text in this photo");
  for (const l of lines) {
    const poly = document.createElementNS(ns, "polygon");
    poly.setAttribute("points", [[l.x1, l.y1], [l.x2, l.y2], [l.x3, l.y3], [l.x4, l.y4]].map((p) => p.join(",")).join(" "));
    poly.setAttribute("vector-effect", "non-scaling-stroke");
    poly.setAttribute("role", "listitem");
    poly.setAttribute("aria-label", l.text);
    const title = document.createElementNS(ns, "title");
    title.textContent = l.text;
    poly.append(title);
    svg.append(poly);
  }
  const place = () => {
    // Over the image as laid out (it keeps its aspect ratio), following its zoom.
    Object.assign(svg.style, { left: `${media.offsetLeft}px`, top: `${media.offsetTop}px`, width: `${media.offsetWidth}px`,
      height: `${media.offsetHeight}px`, transform: media.style.transform });
  };
  stage.append(svg);
  if (media.complete) place(); else media.addEventListener("load", place, { once: true });
  media.addEventListener("dblclick", place);
  new ResizeObserver(place).observe(media);
}
