// History-API routing: paths map to view functions; links with data-link navigate without a reload.
const routes = [];
let notFound = null;

export function route(pattern, view) {
  const keys = [];
  const re = new RegExp("^" + pattern.replace(/:(\w+)/g, (_, k) => { keys.push(k); return "([^/]+)"; }) + "/?$");
  routes.push({ re, keys, view });
}

export function fallback(view) { notFound = view; }

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, "", path);
  else history.pushState({}, "", path);
  return dispatch();
}

export async function dispatch() {
  const url = new URL(location.href);
  for (const r of routes) {
    const m = url.pathname.match(r.re);
    if (m) {
      const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      return r.view(params, url.searchParams);
    }
  }
  return notFound?.({}, url.searchParams);
}

window.addEventListener("popstate", () => dispatch());
document.addEventListener("click", (e) => {
  const a = e.target.closest?.("a[data-link]");
  if (!a || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute("href"));
});
