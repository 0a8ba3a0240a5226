// photonest web UI entry point. Talks only to /api, like any Immich client.
const app = document.getElementById("app");

async function api(method, path, body) {
  const res = await fetch(`/api${path}`, {
    method, credentials: "same-origin",
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error(Array.isArray(data?.message) ? data.message.join(", ") : data?.message || res.statusText);
  return data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);  // text is inserted as text, never as HTML
  return node;
}

function form(title, fields, submitLabel, onSubmit) {
  const error = el("p", { class: "error", role: "alert" });
  const f = el("form", {}, ...fields.map(([name, label, type]) =>
    el("label", {}, label, el("input", { name, type, required: "", autocomplete: name }))),
    el("button", { type: "submit" }, submitLabel), error);
  f.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try { await onSubmit(Object.fromEntries(new FormData(f))); } catch (err) { error.textContent = err.message; }
  });
  app.replaceChildren(el("h1", {}, title), f);
}

async function home() {
  const me = await api("GET", "/users/me");
  const out = el("button", { type: "button" }, "Sign out");
  out.addEventListener("click", async () => { await api("POST", "/auth/logout"); start(); });
  app.replaceChildren(el("h1", {}, "photonest"), el("p", {}, `Signed in as ${me.name} (${me.email})`), out);
}

async function start() {
  const config = await api("GET", "/server/config");
  if (!config.isInitialized) {
    return form("Welcome to photonest", [["name", "Name", "text"], ["email", "Email", "email"],
      ["password", "Password", "password"]], "Create admin account", async (v) => {
      await api("POST", "/auth/admin-sign-up", v);
      await api("POST", "/auth/login", { email: v.email, password: v.password });
      home();
    });
  }
  try { await home(); } catch {
    form("Sign in to photonest", [["email", "Email", "email"], ["password", "Password", "password"]], "Sign in",
      async (v) => { await api("POST", "/auth/login", v); home(); });
  }
}

start();
