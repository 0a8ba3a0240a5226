// Administration (admins only): users, jobs, settings, server statistics. Every call is also admin-only on the
// server; this page only hides what a non-admin could not use anyway.
import { get, post, put, del } from "../api.js";
import { el, toast, formatBytes } from "../dom.js";
import { navigate } from "../router.js";
import { currentUser } from "./shell.js";
import { librariesTab } from "./admin_libraries.js";
import { backupsTab } from "./admin_backups.js";

const TABS = [["users", "Users"], ["jobs", "Jobs"], ["settings", "Settings"], ["server", "Server"], ["libraries", "Libraries"], ["backups", "Backups"]];
const GIB = 1024 ** 3;
let stopRefresh = () => {};

export async function adminPage(content, tab = "users") {
  stopRefresh();
  const me = await currentUser();
  if (!me) return;
  if (!me.isAdmin) {
    toast("Only administrators can open Administration", "error");
    navigate("/photos", { replace: true });
    return;
  }
  const body = el("div", { class: "admin-body" });
  content.replaceChildren(
    el("div", { class: "page-head" }, el("h1", { class: "page-title" }, "Administration")),
    el("nav", { class: "tabs", "aria-label": "Administration" }, ...TABS.map(([id, label]) => el("a", {
      href: `/admin/${id}`, "data-link": true, class: id === tab ? "active" : "", "aria-current": id === tab ? "page" : null,
    }, label))),
    body);
  const view = { users: usersTab, jobs: jobsTab, settings: settingsTab, server: serverTab, libraries: librariesTab, backups: backupsTab }[tab] || usersTab;
  await view(body, me);
}

export function leaveAdmin() { stopRefresh(); }

// --- users ---------------------------------------------------------------------------------------------------
function userDialog(user, onDone) {
  const editing = !!user;
  const f = (name, label, attrs = {}) => el("label", {}, label, el("input", { name, ...attrs }));
  const check = (name, label, checked) => el("label", { class: "inline" }, el("input", { type: "checkbox", name, checked }), label);
  const form = el("form", { class: "link-form" },
    el("h2", {}, editing ? `Edit ${user.name}` : "Create user"),
    f("email", "Email", { type: "email", required: true, value: user?.email ?? "" }),
    f("name", "Name", { required: true, value: user?.name ?? "" }),
    f("password", editing ? "New password (leave empty to keep)" : "Password", { type: "password", required: !editing, autocomplete: "new-password" }),
    f("quota", "Quota in GiB (empty = unlimited)", { type: "number", min: 0, step: "any", value: user?.quotaSizeInBytes != null ? user.quotaSizeInBytes / GIB : "" }),
    f("storageLabel", "Storage label", { value: user?.storageLabel ?? "" }),
    check("isAdmin", "Administrator", user?.isAdmin),
    check("shouldChangePassword", "Must change password at next sign-in", editing ? user.shouldChangePassword : true),
    el("p", { class: "error", role: "alert" }),
    el("div", { class: "dialog-actions" }, el("button", { type: "button", onclick: () => dialog.close() }, "Cancel"),
      el("button", { type: "submit", class: "button" }, editing ? "Save" : "Create")));
  const dialog = el("dialog", { class: "dialog" }, form);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const body = {
      email: d.get("email"), name: d.get("name"),
      quotaSizeInBytes: d.get("quota") === "" ? null : Math.round(Number(d.get("quota")) * GIB),
      storageLabel: d.get("storageLabel") || null,
      isAdmin: d.get("isAdmin") === "on", shouldChangePassword: d.get("shouldChangePassword") === "on",
    };
    if (d.get("password")) body.password = d.get("password");
    try {
      const saved = editing ? await put(`/admin/users/${user.id}`, body) : await post("/admin/users", body);
      toast(editing ? `Saved ${saved.name}` : `Created ${saved.email}`);
      dialog.close(); dialog.remove(); onDone();
    } catch (err) { form.querySelector(".error").textContent = err.message; }
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

async function usersTab(body, me) {
  const render = async () => {
    const users = await get("/admin/users?withDeleted=true");
    body.replaceChildren(
      el("div", { class: "page-head" }, el("span", { class: "spacer" }),
        el("button", { type: "button", class: "button", onclick: () => userDialog(null, render) }, "Create user")),
      el("table", { class: "data-table users-table" },
        el("thead", {}, el("tr", {}, ...["Name", "Email", "Role", "Usage / quota", "Storage label", "Status", ""].map((h) => el("th", {}, h)))),
        el("tbody", {}, ...users.map((u) => el("tr", { dataset: { email: u.email } },
          el("td", {}, u.name), el("td", {}, u.email), el("td", {}, u.isAdmin ? "Admin" : "User"),
          el("td", {}, `${formatBytes(u.quotaUsageInBytes ?? 0)} / ${u.quotaSizeInBytes != null ? formatBytes(u.quotaSizeInBytes) : "unlimited"}`),
          el("td", {}, u.storageLabel || ""),
          el("td", {}, u.status === "removing" ? "Being removed" : u.deletedAt ? `Deleted ${new Date(u.deletedAt).toLocaleDateString()}` : u.status || "active"),
          el("td", { class: "actions" }, u.status === "removing" ? null : u.deletedAt
            ? [el("button", { type: "button", class: "link-button", onclick: async () => {
              try { await post(`/admin/users/${u.id}/restore`); toast(`Restored ${u.email}`); render(); } catch (e) { toast(e.message, "error"); }
            } }, "Restore"),
            el("button", { type: "button", class: "danger-link", onclick: async () => {
              if (!confirm(`Remove ${u.email} and all their photos now? This cannot be undone.`)) return;
              try { await del(`/admin/users/${u.id}`, { force: true }); toast(`Removing ${u.email}`); render(); } catch (e) { toast(e.message, "error"); }
            } }, "Delete now")]
            : [el("button", { type: "button", class: "link-button", onclick: () => userDialog(u, render) }, "Edit"),
              u.id === me.id ? null : el("button", { type: "button", class: "danger-link", onclick: async () => {
                if (!confirm(`Delete ${u.email}? The account can be restored until its delete delay ends.`)) return;
                try { await del(`/admin/users/${u.id}`, { force: false }); toast(`Deleted ${u.email}`); render(); } catch (e) { toast(e.message, "error"); }
              } }, "Delete")]))))));
  };
  await render();
}

// --- jobs ------------------------------------------------------------------------------------------------------
const QUEUE_LABELS = { thumbnailGeneration: "Thumbnails", metadataExtraction: "Metadata", videoConversion: "Video conversion",
  faceDetection: "Face detection", facialRecognition: "Face recognition", smartSearch: "Smart search", duplicateDetection: "Duplicates",
  backgroundTask: "Background tasks", storageTemplateMigration: "Storage template", migration: "Migration", search: "Search",
  sidecar: "Sidecars", library: "Library", notifications: "Notifications", backupDatabase: "Database backup", ocr: "OCR",
  workflow: "Workflows", editor: "Editor" };

async function jobsTab(body) {
  const table = el("tbody");
  const failures = el("div", { class: "failures" });
  body.replaceChildren(el("p", { class: "muted" }, "Counts refresh every 3 seconds."),
    el("table", { class: "data-table jobs-table" },
      el("thead", {}, el("tr", {}, ...["Queue", "Active", "Waiting", "Delayed", "Failed", "Completed", ""].map((h) => el("th", {}, h)))), table),
    failures);
  const command = async (name, cmd) => {
    try {
      if (cmd === "pause" || cmd === "resume") await put(`/queues/${name}`, { isPaused: cmd === "pause" });
      else if (cmd === "missing" || cmd === "all") await put(`/jobs/${name}`, { command: "start", force: cmd === "all" });
      else await put(`/jobs/${name}`, { command: cmd, force: false });
      await refresh();
    } catch (e) { toast(e.message, "error"); }
  };
  const showFailures = async (name) => {
    const jobs = await get(`/queues/${name}/jobs?status=failed`);
    failures.replaceChildren(el("h2", { class: "section-title" }, `Failures in ${QUEUE_LABELS[name] || name}`),
      jobs.length ? el("ul", { class: "failure-list" }, ...jobs.map((j) => el("li", {},
        el("code", {}, j.data?.id || j.id), " ", el("span", { class: "error" }, j.data?.error || "failed"),
        j.data?.attempts ? el("span", { class: "muted" }, ` (${j.data.attempts} attempts)`) : null)))
        : el("p", { class: "muted" }, "No failures."));
  };
  async function refresh() {
    const queues = await get("/queues");
    table.replaceChildren(...queues.map((q) => {
      const s = q.statistics;
      const b = (label, cmd) => el("button", { type: "button", class: "link-button", onclick: () => command(q.name, cmd) }, label);
      return el("tr", { dataset: { queue: q.name } },
        el("td", {}, QUEUE_LABELS[q.name] || q.name, q.isPaused ? el("span", { class: "muted" }, " (paused)") : null),
        el("td", {}, String(s.active)), el("td", {}, String(s.waiting + s.paused)), el("td", {}, String(s.delayed)),
        el("td", {}, s.failed ? el("button", { type: "button", class: "danger-link", onclick: () => showFailures(q.name) }, String(s.failed)) : "0"),
        el("td", {}, String(s.completed)),
        el("td", { class: "actions" }, q.isPaused ? b("Resume", "resume") : b("Pause", "pause"), b("Run missing", "missing"), b("Run all", "all"),
          s.failed ? b("Clear failed", "clear-failed") : null));
    }));
  }
  await refresh();
  const timer = setInterval(() => {
    if (!document.body.contains(table)) { clearInterval(timer); return; }
    refresh().catch(() => {});
  }, 3000);
  stopRefresh = () => clearInterval(timer);
}

// --- settings: a form over Immich's SystemConfigDto; the whole object goes back on save ----------------------------
const SETTINGS = [
  ["Machine learning", [
    ["machineLearning.enabled", "Machine learning", "bool"],
    ["machineLearning.clip.enabled", "Smart search (CLIP)", "bool"],
    ["machineLearning.clip.modelName", "CLIP model", "text"],
    ["machineLearning.facialRecognition.enabled", "Face recognition", "bool"],
    ["machineLearning.facialRecognition.modelName", "Face model", "text"],
    ["machineLearning.facialRecognition.minScore", "Face detection minimum score", "number"],
    ["machineLearning.facialRecognition.maxDistance", "Face recognition maximum distance", "number"],
    ["machineLearning.facialRecognition.minFaces", "Minimum faces for a person", "int"],
    ["machineLearning.ocr.enabled", "Text recognition (OCR)", "bool"],
    ["machineLearning.ocr.modelName", "OCR model", "text"],
    ["machineLearning.duplicateDetection.enabled", "Duplicate detection", "bool"],
    ["machineLearning.duplicateDetection.maxDistance", "Duplicate maximum distance", "number"]]],
  ["Thumbnails and previews", [
    ["image.thumbnail.size", "Thumbnail size (px)", "int"], ["image.thumbnail.quality", "Thumbnail quality", "int"],
    ["image.thumbnail.format", "Thumbnail format", ["jpeg", "webp"]],
    ["image.preview.size", "Preview size (px)", "int"], ["image.preview.quality", "Preview quality", "int"],
    ["image.preview.format", "Preview format", ["jpeg", "webp"]]]],
  ["Video", [
    ["ffmpeg.transcode", "Transcode policy", ["all", "optimal", "bitrate", "required", "disabled"]],
    ["ffmpeg.targetVideoCodec", "Video codec", ["h264", "hevc", "vp9", "av1"]],
    ["ffmpeg.targetResolution", "Target resolution", "text"], ["ffmpeg.crf", "Quality (CRF)", "int"]]],
  ["Trash and accounts", [
    ["trash.enabled", "Trash", "bool"], ["trash.days", "Days in trash before deletion", "int"],
    ["user.deleteDelay", "Days before a deleted account is removed", "int"]]],
  ["Map and places", [
    ["map.enabled", "Map", "bool"], ["map.lightStyle", "Light map style URL", "text"], ["map.darkStyle", "Dark map style URL", "text"],
    ["reverseGeocoding.enabled", "Reverse geocoding", "bool"]]],
  ["Backups", [
    ["backup.database.enabled", "Database backups", "bool"], ["backup.database.cronExpression", "Schedule (cron)", "text"],
    ["backup.database.keepLastAmount", "Backups to keep", "int"]]],
  ["Updates", [["newVersionCheck.enabled", "Check for new releases", "bool"]]],
];

const read = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
function write(obj, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  const target = keys.reduce((o, k) => (o[k] ??= {}), obj);
  target[last] = value;
}

async function settingsTab(body) {
  const config = await get("/system-config");
  const inputs = [];
  const control = ([path, label, kind]) => {
    const value = read(config, path);
    if (value === undefined) return null;  // a field this server does not have
    let input;
    if (kind === "bool") input = el("input", { type: "checkbox", name: path, checked: !!value });
    else if (Array.isArray(kind)) input = el("select", { name: path }, ...kind.map((v) => el("option", { value: v, selected: v === value }, v)));
    else input = el("input", { name: path, type: kind === "text" ? "text" : "number", step: kind === "int" ? "1" : "any", value: value ?? "" });
    inputs.push([path, kind, input]);
    return kind === "bool" ? el("label", { class: "inline" }, input, label) : el("label", {}, label, input);
  };
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "settings-form" },
    ...SETTINGS.map(([title, fields]) => el("fieldset", {}, el("legend", {}, title), ...fields.map(control).filter(Boolean))),
    error, el("div", { class: "dialog-actions" }, el("button", { type: "submit", class: "button" }, "Save settings")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const next = structuredClone(config);
    for (const [path, kind, input] of inputs) {
      const v = kind === "bool" ? input.checked : kind === "int" ? parseInt(input.value, 10) : kind === "number" ? Number(input.value) : input.value;
      write(next, path, v);
    }
    try {
      const saved = await put("/system-config", next);
      Object.assign(config, saved);
      error.textContent = "";
      toast("Settings saved");
    } catch (err) { error.textContent = err.message; }
  });
  body.replaceChildren(form);
}

// --- server statistics and storage -------------------------------------------------------------------------------
async function serverTab(body) {
  const [stats, disk] = await Promise.all([get("/server/statistics"), get("/server/storage")]);
  const card = (label, value) => el("div", { class: "stat" }, el("span", { class: "muted" }, label), el("strong", {}, value));
  body.replaceChildren(
    el("div", { class: "stats" }, card("Photos", String(stats.photos)), card("Videos", String(stats.videos)),
      card("Library size", formatBytes(stats.usage)), card("Disk", `${disk.diskUse} of ${disk.diskSize} used`)),
    el("progress", { class: "disk", max: 100, value: disk.diskUsagePercentage, "aria-label": "Disk use" }),
    el("p", { class: "muted" }, `${disk.diskAvailable} free (${disk.diskUsagePercentage}% used)`),
    el("h2", { class: "section-title" }, "Use by user"),
    el("table", { class: "data-table" },
      el("thead", {}, el("tr", {}, ...["User", "Photos", "Videos", "Size", "Quota"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...stats.usageByUser.map((u) => el("tr", {}, el("td", {}, u.userName), el("td", {}, String(u.photos)),
        el("td", {}, String(u.videos)), el("td", {}, formatBytes(u.usage)),
        el("td", {}, u.quotaSizeInBytes != null ? formatBytes(u.quotaSizeInBytes) : "unlimited"))))));
}
