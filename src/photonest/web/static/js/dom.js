// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so names and descriptions are inert.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c);
  return node;
}

const ICONS = {
  photos: "M4 4h16v16H4z M4 15l4-4 5 5 3-3 4 4",
  explore: "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z M16 16l5 5",
  albums: "M3 6h18v13H3z M7 3h10",
  favorite: "M12 21l-8-8a5 5 0 0 1 8-6a5 5 0 0 1 8 6z",
  archive: "M3 4h18v4H3z M5 8v12h14V8 M10 12h4",
  trash: "M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13",
  locked: "M6 11h12v10H6z M8 11V7a4 4 0 0 1 8 0v4",
  upload: "M12 16V4 M7 9l5-5 5 5 M4 20h16",
  close: "M5 5l14 14 M19 5L5 19",
  left: "M15 5l-7 7 7 7",
  right: "M9 5l7 7-7 7",
  info: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 11v6 M12 7v1",
  download: "M12 4v12 M7 11l5 5 5-5 M4 20h16",
  share: "M18 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M6 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M18 22a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M8.6 13.5l6.8 4 M15.4 6.5l-6.8 4",
  play: "M8 5l11 7-11 7z",
  menu: "M4 6h16 M4 12h16 M4 18h16",
  sharing: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M2 21a7 7 0 0 1 14 0 M17 11a3 3 0 1 0 0-6 M22 21a6 6 0 0 0-5-6",
};

export function icon(name, label) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", label ? "false" : "true");
  if (label) svg.setAttribute("aria-label", label);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name] || "");
  svg.append(path);
  return svg;
}

export function toast(message, kind = "info") {
  let box = document.getElementById("toasts");
  if (!box) { box = el("div", { id: "toasts", role: "status", "aria-live": "polite" }); document.body.append(box); }
  const t = el("div", { class: `toast ${kind}` }, message);
  box.append(t);
  setTimeout(() => t.remove(), 5000);
}

export function formatBytes(n) {
  if (n === null || n === undefined) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}
