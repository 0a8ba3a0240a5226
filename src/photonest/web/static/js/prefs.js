// The signed-in user's preferences (/users/me/preferences), fetched once per page load and kept in step with
// Account settings, so views can honour them (memories strip, star ratings) without asking again.
import { get } from "./api.js";

let cached = null;

export function preferences() {
  cached ||= get("/users/me/preferences").catch(() => { cached = null; return {}; });
  return cached;
}

export function rememberPreferences(p) { cached = Promise.resolve(p); }
export function forgetPreferences() { cached = null; }
