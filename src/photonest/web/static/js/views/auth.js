// Onboarding (first admin), sign in, and the forced password change.
import { get, post } from "../api.js";
import { el } from "../dom.js";
import { navigate } from "../router.js";

function authPage(title, intro, fields, submitLabel, onSubmit) {
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "auth-form" },
    ...fields.map(([name, label, type, auto]) =>
      el("label", {}, label, el("input", { name, type, required: true, autocomplete: auto || name }))),
    el("button", { type: "submit", class: "primary" }, submitLabel), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const button = form.querySelector("button");
    button.disabled = true;
    try { await onSubmit(Object.fromEntries(new FormData(form))); } catch (err) { error.textContent = err.message; }
    finally { button.disabled = false; }
  });
  const main = el("main", { class: "auth-page" },
    el("div", { class: "auth-card" }, el("h1", { class: "logo" }, "photonest"), el("h2", {}, title),
      intro ? el("p", { class: "muted" }, intro) : null, form));
  document.getElementById("app").replaceChildren(main);
  form.querySelector("input")?.focus();
}

export async function onboarding() {
  const config = await get("/server/config");
  if (config.isInitialized) return navigate("/auth/login", { replace: true });
  authPage("Welcome", "Create the administrator account for this server.",
    [["name", "Name", "text"], ["email", "Email", "email"], ["password", "Password", "password", "new-password"]],
    "Create account", async (v) => {
      await post("/auth/admin-sign-up", v);
      await post("/auth/login", { email: v.email, password: v.password });
      navigate("/photos", { replace: true });
    });
}

export async function login() {
  const config = await get("/server/config");
  if (!config.isInitialized) return navigate("/auth/onboarding", { replace: true });
  authPage("Sign in", config.loginPageMessage || "",
    [["email", "Email", "email"], ["password", "Password", "password", "current-password"]], "Sign in",
    async (v) => {
      const res = await post("/auth/login", v);
      navigate(res.shouldChangePassword ? "/auth/change-password" : "/photos", { replace: true });
    });
}

export function changePassword() {
  authPage("Change your password", "Your administrator asks you to choose a new password.",
    [["password", "Current password", "password", "current-password"],
     ["newPassword", "New password", "password", "new-password"],
     ["confirm", "Confirm new password", "password", "new-password"]], "Change password",
    async (v) => {
      if (v.newPassword !== v.confirm) throw new Error("The new passwords do not match");
      await post("/auth/change-password", { password: v.password, newPassword: v.newPassword });
      navigate("/photos", { replace: true });
    });
}
