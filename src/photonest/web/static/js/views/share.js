// The public share page (/share/{key}, /s/{slug}): works without an account. Password prompt, a grid of the
// link's photos, a viewer, downloads when allowed, and guest upload when the link allows it.
import { ApiError } from "../api.js";
import { el, icon, toast } from "../dom.js";
import { thumbhashDataUrl } from "../thumbhash.js";
import { justify } from "./timeline.js";

function creds(params) {
  return params.key ? { key: params.key } : { slug: params.slug };
}

async function call(method, path, params, body) {
  const q = new URLSearchParams(creds(params)).toString();
  const sep = path.includes("?") ? "&" : "?";
  const res = await fetch(`/api${path}${sep}${q}`, {
    method, credentials: "same-origin",
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, Array.isArray(data?.message) ? data.message.join(", ") : data?.message || res.statusText);
  return data;
}

function withCreds(url, params) {
  return `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(creds(params))}`;
}

function passwordPage(app, params, retry) {
  const error = el("p", { class: "error", role: "alert" });
  const input = el("input", { type: "password", name: "password", required: true, "aria-label": "Password", autocomplete: "off" });
  const form = el("form", { class: "auth-form" }, input, el("button", { type: "submit", class: "primary" }, "Open"), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try { await call("POST", "/shared-links/login", params, { password: input.value }); retry(); }
    catch (err) { error.textContent = err.status === 401 ? "Wrong password" : err.message; }
  });
  app.replaceChildren(el("main", { class: "auth-page" }, el("div", { class: "auth-card" },
    el("h1", { class: "logo" }, "photonest"), el("h2", {}, "This link is password protected"), form)));
  input.focus();
}

function viewer(assets, index, link, params) {
  const overlay = el("div", { class: "viewer", role: "dialog", "aria-modal": "true", "aria-label": "Photo viewer", tabindex: "-1" });
  const show = (i) => {
    index = (i + assets.length) % assets.length;
    const a = assets[index];
    const media = a.type === "VIDEO"
      ? el("video", { src: withCreds(`/api/assets/${a.id}/video/playback`, params), controls: true, autoplay: true, playsinline: true })
      : el("img", { src: withCreds(`/api/assets/${a.id}/thumbnail?size=preview`, params), alt: "" });
    media.classList.add("media");
    overlay.replaceChildren(
      el("div", { class: "viewer-bar" },
        el("button", { type: "button", class: "icon-button", "aria-label": "Close", onclick: close }, icon("close")),
        el("span", { class: "spacer" }),
        link.allowDownload ? el("a", { class: "icon-button", "aria-label": "Download", download: a.originalFileName || "",
          href: withCreds(`/api/assets/${a.id}/original`, params) }, icon("download")) : null),
      el("div", { class: "viewer-body" }, el("div", { class: "stage" }, media,
        el("button", { type: "button", class: "nav prev", "aria-label": "Previous", onclick: () => show(index - 1) }, icon("left")),
        el("button", { type: "button", class: "nav next", "aria-label": "Next", onclick: () => show(index + 1) }, icon("right")))));
  };
  const onKey = (e) => {
    if (e.key === "Escape") close();
    else if (e.key === "ArrowRight") show(index + 1);
    else if (e.key === "ArrowLeft") show(index - 1);
  };
  function close() { overlay.remove(); document.removeEventListener("keydown", onKey); }
  document.addEventListener("keydown", onKey);
  document.body.append(overlay);
  show(index);
  overlay.focus();
}

export async function sharePage(params) {
  const app = document.getElementById("app");
  let link;
  try {
    link = await call("GET", "/shared-links/me", params);
  } catch (e) {
    if (e.status === 401 && /password/i.test(e.message)) return passwordPage(app, params, () => sharePage(params));
    app.replaceChildren(el("main", { class: "auth-page" }, el("div", { class: "auth-card" },
      el("h1", { class: "logo" }, "photonest"), el("h2", {}, "This link does not work"),
      el("p", { class: "muted" }, e.status === 429 ? "Too many attempts. Try again later." : "It may have expired or been removed."))));
    return;
  }
  let assets = link.assets || [];
  let title = link.description || "Shared photos";
  if (link.type === "ALBUM" && link.album) {
    const album = await call("GET", `/albums/${link.album.id}`, params);
    assets = album.assets || [];
    title = album.albumName || title;
  }
  document.title = `${title} · photonest`;
  const grid = el("div", { class: "share-grid" });
  const render = () => {
    const width = grid.clientWidth || window.innerWidth - 32;
    const items = assets.map((a, i) => ({ ...a, i, ratio: a.width && a.height ? a.width / a.height : 1 }));
    grid.replaceChildren(...justify(items, width, window.innerWidth < 600 ? 120 : 220).map((row) => {
      const r = el("div", { class: "row" });
      r.style.height = `${row.height}px`;
      for (const it of row.items) {
        const img = el("img", { src: withCreds(`/api/assets/${it.id}/thumbnail`, params), alt: "", loading: "lazy" });
        img.addEventListener("load", () => img.classList.add("loaded"));
        const tile = el("button", { type: "button", class: "tile", "aria-label": `Open photo ${it.i + 1}`, onclick: () => viewer(assets, it.i, link, params) }, img,
          it.type === "VIDEO" ? el("span", { class: "badge" }, icon("play")) : null);
        tile.style.width = `${Math.floor(it.r * row.height)}px`;
        const ph = thumbhashDataUrl(it.thumbhash);
        if (ph) tile.style.backgroundImage = `url(${ph})`;
        r.append(tile);
      }
      return r;
    }));
  };
  const uploadInput = el("input", { type: "file", multiple: true, hidden: true, accept: "image/*,video/*" });
  uploadInput.addEventListener("change", async () => {
    let ok = 0;
    for (const f of uploadInput.files) {
      const form = new FormData();
      const when = new Date(f.lastModified || Date.now()).toISOString();
      form.append("fileCreatedAt", when);
      form.append("fileModifiedAt", when);
      form.append("assetData", f, f.name);
      const res = await fetch(withCreds("/api/assets", params), { method: "POST", body: form, credentials: "same-origin" });
      if (res.ok) ok++; else toast(`${f.name}: ${(await res.json().catch(() => ({}))).message || res.statusText}`, "error");
    }
    toast(`Uploaded ${ok} of ${uploadInput.files.length}`);
    sharePage(params);
  });
  app.replaceChildren(el("header", { class: "topbar" }, el("span", { class: "logo" }, "photonest"), el("span", { class: "spacer" }),
      link.allowUpload ? el("button", { type: "button", class: "button", onclick: () => uploadInput.click() }, icon("upload"), el("span", { class: "label" }, "Add photos")) : null,
      link.allowDownload && assets.length ? el("span", { class: "muted" }, `${assets.length} item${assets.length === 1 ? "" : "s"}`) : null),
    el("main", { class: "share-page" }, el("h1", { class: "page-title" }, title),
      link.type === "ALBUM" && link.album?.description ? el("p", { class: "muted" }, link.album.description) : null,
      assets.length ? grid : el("p", { class: "empty" }, "Nothing here yet."), uploadInput));
  render();
  window.addEventListener("resize", render);
}
