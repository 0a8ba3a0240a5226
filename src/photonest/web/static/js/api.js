// The API client: same-origin fetch with the session cookie, Immich-shaped errors turned into Error messages.
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(method, path, body, { signal } = {}) {
  const opts = { method, credentials: "same-origin", signal, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(`/api${path}`, opts);
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const msg = Array.isArray(data?.message) ? data.message.join(", ") : data?.message || res.statusText;
    throw new ApiError(res.status, msg);
  }
  return data;
}

export const get = (path, opts) => api("GET", path, undefined, opts);
export const post = (path, body) => api("POST", path, body ?? {});
export const put = (path, body) => api("PUT", path, body ?? {});
export const del = (path, body) => api("DELETE", path, body);

export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const thumbUrl = (id, size = "thumbnail") => `/api/assets/${id}/thumbnail?size=${size}`;

// Upload one file with progress (fetch has no upload progress, XHR does).
export function uploadFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    const modified = new Date(file.lastModified || Date.now()).toISOString();
    form.append("deviceAssetId", `web-${file.name}-${file.size}-${file.lastModified}`);
    form.append("deviceId", "WEB");
    form.append("fileCreatedAt", modified);
    form.append("fileModifiedAt", modified);
    form.append("filename", file.name);
    form.append("assetData", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/assets");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, (Array.isArray(data?.message) ? data.message.join(", ") : data?.message) || xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, "Network error"));
    xhr.send(form);
  });
}
