// Uploading from the browser: a picker or drag-and-drop anywhere; per-file and total progress; duplicates and
// failures reported by name.
import { uploadFile } from "./api.js";
import { tusUpload, TUS_THRESHOLD } from "./tus.js";
import { el, toast } from "./dom.js";

let panel = null;

function ensurePanel() {
  if (panel && document.body.contains(panel.root)) return panel;
  const total = el("progress", { max: 1, value: 0, "aria-label": "Total upload progress" });
  const list = el("ul", { class: "upload-list" });
  const summary = el("p", { class: "upload-summary" });
  const root = el("section", { class: "upload-panel", "aria-label": "Uploads" },
    el("header", {}, el("strong", {}, "Uploads"),
      el("button", { type: "button", class: "icon-button", "aria-label": "Close uploads", onclick: () => root.remove() }, "×")),
    total, summary, list);
  document.body.append(root);
  panel = { root, total, list, summary };
  return panel;
}

export async function uploadFiles(files, { concurrency = 3 } = {}) {
  files = [...files].filter((f) => f.size > 0 || f.type);
  if (!files.length) return [];
  const p = ensurePanel();
  const bytes = files.reduce((n, f) => n + f.size, 0) || 1;
  const done = new Map();
  const results = [];
  const counts = { created: 0, duplicate: 0, failed: 0 };
  const update = () => {
    p.total.value = [...done.values()].reduce((a, b) => a + b, 0) / bytes;
    p.summary.textContent = `${counts.created} uploaded · ${counts.duplicate} duplicates · ${counts.failed} failed · ${files.length} total`;
  };
  const queue = [...files];
  const worker = async () => {
    while (queue.length) {
      const f = queue.shift();
      const bar = el("progress", { max: 1, value: 0 });
      const status = el("span", { class: "status" }, "waiting");
      const li = el("li", {}, el("span", { class: "name" }, f.name), bar, status);
      p.list.prepend(li);
      try {
        // Large files go resumable, in chunks: a dropped connection or a proxy's body limit costs one chunk.
        const send = f.size > TUS_THRESHOLD ? tusUpload : uploadFile;
        const res = await send(f, (frac) => { bar.value = frac; done.set(f, frac * f.size); update(); });
        done.set(f, f.size);
        counts[res.status === "duplicate" ? "duplicate" : "created"]++;
        status.textContent = res.status === "duplicate" ? "duplicate" : "uploaded";
        li.classList.add(res.status === "duplicate" ? "duplicate" : "ok");
        results.push({ file: f.name, ...res });
      } catch (e) {
        done.set(f, f.size);
        counts.failed++;
        status.textContent = `failed: ${e.message}`;
        li.classList.add("failed");
        results.push({ file: f.name, error: e.message });
      }
      bar.value = 1;
      update();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  document.dispatchEvent(new CustomEvent("photonest:uploaded", { detail: results }));
  toast(`Upload finished: ${counts.created} new, ${counts.duplicate} duplicates, ${counts.failed} failed`, counts.failed ? "error" : "info");
  return results;
}

export function pickAndUpload() {
  const input = el("input", { type: "file", multiple: true, accept: "image/*,video/*,.dng,.cr2,.cr3,.nef,.arw,.orf,.rw2,.raf,.heic,.heif,.avif,.jxl" });
  input.addEventListener("change", () => uploadFiles(input.files));
  input.click();
}

export function installDropZone() {
  let depth = 0;
  const hint = el("div", { class: "drop-hint", hidden: true }, "Drop photos and videos to upload");
  document.body.append(hint);
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
  document.addEventListener("dragenter", (e) => { if (hasFiles(e)) { depth++; hint.hidden = false; } });
  document.addEventListener("dragleave", () => { depth = Math.max(0, depth - 1); if (!depth) hint.hidden = true; });
  document.addEventListener("dragover", (e) => { if (hasFiles(e)) e.preventDefault(); });
  document.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    hint.hidden = true;
    if (!document.querySelector(".topbar")) return toast("Sign in to upload", "error");
    uploadFiles(e.dataTransfer.files);
  });
}
