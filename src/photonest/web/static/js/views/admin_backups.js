// Administration > Backups: database backups (/api/admin/database-backups) and the integrity reports
// (/api/admin/integrity) that compare the database with the files. Admin-only on the server as well.
import { get, post, put, del, qs } from "../api.js";
import { el, toast, formatBytes } from "../dom.js";

const BACKUPS = "/admin/database-backups";
const REPORTS = [
  ["missing_file", "missing-files", "Missing files", "Originals, thumbnails or videos the database points at that are gone.",
    "The asset goes to the trash (a lost original), or the lost thumbnail/preview is made again."],
  ["untracked_file", "untracked-files", "Untracked files", "Files in the data directory that no asset knows.",
    "The file is deleted from the data directory."],
  ["checksum_mismatch", "checksum-mismatch", "Checksum mismatches", "Originals whose content changed since upload (reads every original: slow).",
    "The asset goes to the trash."],
];

// A timestamp in a backup's name (photonest-20261124T020000123456Z...) shown as a date; other names as they are.
function backupTime(name) {
  const m = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/.exec(name);
  return m ? new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6])).toLocaleString() : "";
}

async function uploadBackup(file) {
  const form = new FormData();
  form.append("file", file, file.name);
  const res = await fetch(`/api${BACKUPS}/upload`, { method: "POST", body: form, credentials: "same-origin" });
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    throw new Error((Array.isArray(data?.message) ? data.message.join(", ") : data?.message) || res.statusText);
  }
}

const busy = (q) => (q ? q.statistics.active + q.statistics.waiting : 0);

export async function backupsTab(body) {
  // On a phone the tab strip scrolls: bring this tab's name into view.
  document.querySelector(".tabs a.active")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const backupRows = el("tbody");
  const backupState = el("p", { class: "muted", role: "status" });
  const summaryBox = el("div", { class: "stats integrity-stats" });
  const integrityState = el("p", { class: "muted", role: "status" });
  const report = el("div", { class: "integrity-report" });
  let lastKey = "";
  const fileInput = el("input", { type: "file", accept: ".gz,.sql,.sqlite3,.db", hidden: true, "aria-label": "Backup file to upload" });

  const job = async (name, what) => {
    try { await post("/jobs", { name }); toast(`${what} queued`); await refresh(); } catch (e) { toast(e.message, "error"); }
  };

  const removeBackup = async (name) => {
    if (!confirm(`Delete the backup ${name}? This cannot be undone.`)) return;
    try { await del(BACKUPS, { backups: [name] }); toast(`Deleted ${name}`); await refresh(); } catch (e) { toast(e.message, "error"); }
  };

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    try { await uploadBackup(file); toast(`Uploaded ${file.name}`); await refresh(); } catch (e) { toast(e.message, "error"); }
  });

  async function showReport(type, cursor) {
    const [, , label, , effect] = REPORTS.find(([t]) => t === type);
    const page = await get(`/admin/integrity/report${qs({ type, limit: 100, cursor })}`);
    const canDownload = type !== "missing_file";
    const resolve = async (item, row) => {
      if (!confirm(`Act on ${item.path}? ${effect}`)) return;
      try { await del(`/admin/integrity/report/${item.id}`); row.remove(); toast("Done"); await refresh(); } catch (e) { toast(e.message, "error"); }
    };
    const rows = page.items.map((item) => {
      const row = el("tr", {}, el("td", { class: "path" }, el("code", {}, item.path)),
        el("td", { class: "actions" },
          canDownload ? el("a", { class: "link-button", href: `/api/admin/integrity/report/${item.id}/file`, download: "" }, "Download") : null,
          el("button", { type: "button", class: "danger-link", onclick: () => resolve(item, row) }, type === "untracked_file" ? "Delete file" : "Resolve")));
      return row;
    });
    const more = page.nextCursor
      ? el("button", { type: "button", class: "link-button", onclick: () => showReport(type, page.nextCursor) }, "Next page") : null;
    report.replaceChildren(
      el("h3", { class: "section-title" }, label, cursor ? " (continued)" : ""),
      rows.length
        ? el("table", { class: "data-table" }, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Path"), el("th", { scope: "col" }, ""))),
          el("tbody", {}, ...rows))
        : el("p", { class: "muted" }, "Nothing found by the last check."),
      more);
  }

  async function refresh() {
    const [list, backupQueue, checkQueue, summary] = await Promise.all([
      get(BACKUPS), get("/queues/backupDatabase").catch(() => null), get("/queues/integrityCheck").catch(() => null),
      get("/admin/integrity/summary")]);
    // Re-drawn only when something changed, so keyboard focus on a row's link survives the refresh.
    const key = JSON.stringify([list, summary]);
    const changed = key !== lastKey;
    lastKey = key;
    if (changed) backupRows.replaceChildren(...list.backups.map((b) => el("tr", { dataset: { backup: b.filename } },
      el("td", {}, el("code", {}, b.filename)), el("td", { "data-label": "Made" }, backupTime(b.filename)),
      el("td", { "data-label": "Size" }, formatBytes(b.filesize)),
      el("td", { class: "actions" },
        el("a", { class: "link-button", href: `/api${BACKUPS}/${encodeURIComponent(b.filename)}`, download: b.filename,
          "aria-label": `Download ${b.filename}` }, "Download"),
        el("button", { type: "button", class: "danger-link", "aria-label": `Delete ${b.filename}`, onclick: () => removeBackup(b.filename) }, "Delete")))));
    if (changed && !list.backups.length) backupRows.append(el("tr", {}, el("td", { colspan: 4, class: "muted" }, "No backups yet.")));
    const failed = backupQueue?.statistics.failed ?? 0;
    backupState.textContent = busy(backupQueue) ? "A backup is being made\u2026"
      : failed ? `${failed} backup(s) failed; see the server log and Administration > Jobs.` : "";
    integrityState.textContent = busy(checkQueue) ? "A check is running\u2026" : "";
    if (changed) summaryBox.replaceChildren(...REPORTS.map(([type, slug, label, what]) => el("div", { class: "stat", dataset: { report: type } },
      el("span", { class: "muted" }, label), el("strong", {}, String(summary[type] ?? 0)),
      el("span", { class: "muted hint" }, what),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "link-button", onclick: () => job(`integrity-${slug}`, `${label} check`) }, "Check now"),
        el("button", { type: "button", class: "link-button", onclick: () => showReport(type).catch((e) => toast(e.message, "error")) }, "Show"),
        el("a", { class: "link-button", href: `/api/admin/integrity/report/${type}/csv`, download: "", "aria-label": `${label} as CSV` }, "CSV")))));
  }

  body.replaceChildren(
    el("section", { "aria-labelledby": "backups-title" },
      el("div", { class: "page-head ops-head" }, el("h2", { class: "section-title", id: "backups-title" }, "Database backups"),
        el("span", { class: "spacer" }),
        el("button", { type: "button", class: "link-button", onclick: () => fileInput.click() }, "Upload backup"),
        fileInput,
        el("button", { type: "button", class: "button", onclick: () => job("backup-database", "Backup") }, "Back up now")),
      el("p", { class: "muted" }, "Backups of the database are kept in the data directory's backups folder (made every night by default). "
        + "Back up the data directory's files with your usual tool."),
      backupState,
      el("table", { class: "data-table backups-table phone-cards" },
        el("thead", {}, el("tr", {}, ...["File", "Made", "Size", ""].map((h) => el("th", { scope: "col" }, h)))), backupRows),
      el("details", { class: "restore-help" }, el("summary", {}, "How to restore a backup"),
        el("p", {}, "A restore replaces the whole database, so it is not done from a running server: stop the server and its workers, run ",
          el("code", {}, "photonest backup restore <file>"),
          ", then start the server again. The current database is first saved as a \u2026-pre-restore backup. See docs/backups.md."))),
    el("section", { "aria-labelledby": "integrity-title" },
      el("div", { class: "page-head ops-head" }, el("h2", { class: "section-title", id: "integrity-title" }, "Integrity"),
        el("span", { class: "spacer" }),
        el("button", { type: "button", class: "button", onclick: async () => {
          try { await put("/jobs/integrityCheck", { command: "start", force: false }); toast("All checks queued"); await refresh(); }
          catch (e) { toast(e.message, "error"); }
        } }, "Run all checks")),
      el("p", { class: "muted" }, "Compares the database with the files in the data directory. Counts are from the last check."),
      integrityState, summaryBox, report));
  await refresh();
  // Backups and checks run in the background: keep the list and counts current while this tab is on screen.
  const timer = setInterval(() => {
    if (!document.body.contains(backupRows)) { clearInterval(timer); return; }
    refresh().catch(() => {});
  }, 3000);
}
