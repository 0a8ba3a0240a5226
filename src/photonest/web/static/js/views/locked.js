// The locked folder: set a PIN the first time, unlock with it, then the locked photos; lock again on leaving.
import { get, post } from "../api.js";
import { el, toast } from "../dom.js";
import { Timeline } from "./timeline.js";

function pinForm(title, intro, label, onSubmit) {
  const error = el("p", { class: "error", role: "alert" });
  const input = el("input", { name: "pin", type: "password", inputmode: "numeric", pattern: "\\d{6}", maxlength: 6,
    minlength: 6, required: true, autocomplete: "off", "aria-label": "PIN code" });
  const form = el("form", { class: "pin-form" }, el("h1", { class: "page-title" }, title), el("p", { class: "muted" }, intro),
    input, el("button", { type: "submit", class: "primary" }, label), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try { await onSubmit(input.value); } catch (err) { error.textContent = err.message; input.select(); }
  });
  setTimeout(() => input.focus());
  return form;
}

export async function lockedPage(content, rerender) {
  const status = await get("/auth/status");
  if (!status.pinCode) {
    content.replaceChildren(pinForm("Set up the locked folder", "Choose a 6-digit PIN. Photos you move here are hidden from the timeline, search, albums, memories and shared links.", "Set PIN",
      async (pin) => { await post("/auth/pin-code", { pinCode: pin }); await post("/auth/session/unlock", { pinCode: pin }); rerender(); }));
    return null;
  }
  if (!status.isElevated) {
    content.replaceChildren(pinForm("Locked folder", "Enter your PIN to see the locked folder.", "Unlock",
      async (pin) => { await post("/auth/session/unlock", { pinCode: pin }); rerender(); }));
    return null;
  }
  const box = el("div", { class: "page" });
  content.replaceChildren(el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Locked folder"), el("span", { class: "spacer" }),
    el("button", { type: "button", class: "button", onclick: async () => {
      await post("/auth/session/lock");
      toast("Locked folder locked");
      rerender();
    } }, "Lock")), box);
  const timeline = new Timeline(box, { filters: { visibility: "locked" }, emptyText: "Nothing here yet. Select photos and choose Move to locked folder." });
  await timeline.load();
  return timeline;
}
