// Resumable uploads (tus 1.0, /api/upload/tus) for large files: chunks of 8 MB, retried with back-off, and
// resumed across page reloads (the upload URL is remembered per file in localStorage).
const CHUNK = 8 * 1024 * 1024;
export const TUS_THRESHOLD = 64 * 1024 * 1024;

const b64 = (s) => btoa(unescape(encodeURIComponent(s)));
const fileKey = (f) => `photonest-tus:${f.name}:${f.size}:${f.lastModified}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function xhr(method, url, headers, body, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, url);
    x.withCredentials = true;
    for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
    if (onProgress) x.upload.onprogress = (e) => onProgress(e.loaded);
    x.onload = () => resolve(x);
    x.onerror = () => reject(new Error("Network error"));
    x.send(body ?? null);
  });
}

function fail(x) {
  let msg = x.statusText;
  try { const d = JSON.parse(x.responseText); msg = Array.isArray(d.message) ? d.message.join(", ") : d.message || msg; } catch { /* not JSON */ }
  const e = new Error(msg);
  e.status = x.status;
  return e;
}

async function create(file) {
  const when = new Date(file.lastModified || Date.now()).toISOString();
  const meta = { filename: file.name, fileCreatedAt: when, fileModifiedAt: when, deviceId: "WEB",
    deviceAssetId: `web-${file.name}-${file.size}-${file.lastModified}` };
  const x = await xhr("POST", "/api/upload/tus", {
    "Tus-Resumable": "1.0.0", "Upload-Length": String(file.size),
    "Upload-Metadata": Object.entries(meta).map(([k, v]) => `${k} ${b64(v)}`).join(","),
  });
  if (x.status !== 201) throw fail(x);
  return new URL(x.getResponseHeader("Location"), location.href).pathname;
}

async function offsetOf(url) {
  const x = await xhr("HEAD", url, { "Tus-Resumable": "1.0.0" });
  if (x.status === 404 || x.status === 410) return null;
  if (x.status >= 400) throw fail(x);
  return { offset: Number(x.getResponseHeader("Upload-Offset")), x };
}

// Upload one file; resolves like POST /api/assets: {id, status: "created" | "duplicate"}.
export async function tusUpload(file, onProgress) {
  let url = localStorage.getItem(fileKey(file));
  let offset = 0;
  if (url) {
    const st = await offsetOf(url).catch(() => null);
    if (st) offset = st.offset; else url = null;
  }
  if (!url) {
    url = await create(file);
    localStorage.setItem(fileKey(file), url);
  }
  let attempt = 0;
  let last = null;
  while (offset < file.size || !last) {
    try {
      const end = Math.min(offset + CHUNK, file.size);
      const x = await xhr("PATCH", url, { "Tus-Resumable": "1.0.0", "Upload-Offset": String(offset),
        "Content-Type": "application/offset+octet-stream" }, file.slice(offset, end), (n) => onProgress?.((offset + n) / file.size));
      if (x.status === 409) { offset = (await offsetOf(url))?.offset ?? 0; continue; }  // resync with the server
      if (x.status >= 400) throw fail(x);
      offset = Number(x.getResponseHeader("Upload-Offset"));
      last = x;
      attempt = 0;
    } catch (e) {
      if (e.status && e.status < 500 && e.status !== 429) { localStorage.removeItem(fileKey(file)); throw e; }
      if (++attempt > 8) throw e;
      await sleep(Math.min(30000, 500 * 2 ** attempt));  // the network comes back; continue where it stopped
      offset = (await offsetOf(url).catch(() => null))?.offset ?? offset;
    }
  }
  localStorage.removeItem(fileKey(file));
  return { id: last.getResponseHeader("X-Immich-Asset-Id"), status: last.getResponseHeader("X-Immich-Asset-Status") || "created" };
}
