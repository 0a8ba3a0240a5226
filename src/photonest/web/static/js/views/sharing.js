// Sharing: partners (whose libraries I can see, who sees mine) and, as they land, shared albums and links.
import { get, post, put, del } from "../api.js";
import { el, toast } from "../dom.js";
import { linksSection } from "./links.js";

function person(u, ...extra) {
  const avatar = el("span", { class: "avatar small", "aria-hidden": "true" }, (u.name || u.email).slice(0, 1).toUpperCase());
  avatar.style.setProperty("--avatar", `var(--c-${u.avatarColor || "primary"})`);
  return el("li", { class: "person-row" }, avatar, el("span", { class: "who" }, el("strong", {}, u.name), el("br"),
    el("span", { class: "muted" }, u.email)), el("span", { class: "spacer" }), ...extra);
}

export async function sharingPage(content, rerender) {
  const [me, withMe, byMe, users] = await Promise.all([
    get("/users/me"), get("/partners?direction=shared-with"), get("/partners?direction=shared-by"), get("/users")]);
  const candidates = users.filter((u) => u.id !== me.id && !byMe.some((p) => p.id === u.id));
  const picker = el("select", { "aria-label": "Share my library with" },
    el("option", { value: "" }, "Choose someone…"), ...candidates.map((u) => el("option", { value: u.id }, `${u.name} (${u.email})`)));
  content.replaceChildren(
    el("h1", { class: "page-title" }, "Sharing"),
    el("h2", { class: "section-title" }, "Partners sharing with me"),
    withMe.length ? el("ul", { class: "people-list" }, ...withMe.map((p) => {
      const toggle = el("input", { type: "checkbox", "aria-label": `Show ${p.name}'s photos in my timeline` });
      toggle.checked = p.inTimeline;
      toggle.addEventListener("change", async () => {
        try { await put(`/partners/${p.id}`, { inTimeline: toggle.checked }); toast(toggle.checked ? `${p.name}'s photos now show in your timeline` : `${p.name}'s photos left your timeline`); }
        catch (e) { toggle.checked = !toggle.checked; toast(e.message, "error"); }
      });
      return person(p, el("label", { class: "inline" }, toggle, "In my timeline"));
    })) : el("p", { class: "muted" }, "Nobody shares their library with you yet."),
    el("h2", { class: "section-title" }, "I share my library with"),
    byMe.length ? el("ul", { class: "people-list" }, ...byMe.map((p) => person(p,
      el("button", { type: "button", class: "danger-link", onclick: async () => {
        if (!confirm(`Stop sharing your library with ${p.name}?`)) return;
        try { await del(`/partners/${p.id}`); rerender(); } catch (e) { toast(e.message, "error"); }
      } }, "Stop sharing")))) : el("p", { class: "muted" }, "You don't share your library with anyone."),
    candidates.length ? el("form", { class: "inline-form", onsubmit: async (e) => {
      e.preventDefault();
      if (!picker.value) return;
      try { await post("/partners", { sharedWithId: picker.value }); toast("Library shared"); rerender(); }
      catch (err) { toast(err.message, "error"); }
    } }, picker, el("button", { type: "submit", class: "button" }, "Share my library")) : "",
    await linksSection(rerender),
  );
}
