// CSV exports: pick a report and its filters, save through the system's
// dialog, watch the rows go by, cancel if it takes too long.
import { call } from "./ipc.js";
import { buildForm, el, toast } from "./forms.js";

const REPORTS = [
  ["dues", "Dues with ageing"],
  ["invoices", "Invoices"],
  ["payments", "Payments"],
  ["ledger", "Ledger"],
  ["collections", "Collections by month and mode"],
  ["deposits", "Deposits held"],
  ["occupancy", "Occupancy, last 12 months"],
];

// A button that saves one report as CSV straight away (no filters).
export function exportButton(report, name) {
  const button = el("button", { type: "button", text: "Export CSV", "aria-label": `Export ${name} as CSV` });
  button.addEventListener("click", async () => {
    try {
      const done = await call("export_csv", { request: { report } });
      if (done) toast(`Saved ${done.rows.toLocaleString("en-IN")} rows to ${done.path}`);
    } catch (e) {
      toast(e.message);
    }
  });
  return button;
}

function listen(event, handler) {
  const api = window.__TAURI__ && window.__TAURI__.event;
  return api ? api.listen(event, handler) : Promise.resolve(() => {});
}

// A status line with a progress bar and a Cancel button, shown while an
// export runs (long exports of a big portfolio take a few seconds).
function progressPanel() {
  const bar = el("progress", { "aria-label": "Export progress" });
  const count = el("span", { class: "hint", text: "Starting…" });
  const cancel = el("button", { type: "button", class: "secondary", text: "Cancel export" });
  cancel.addEventListener("click", () => call("cancel_export"));
  const panel = el("div", { class: "progress-panel", role: "status", hidden: true }, bar, count, cancel);
  return { panel, count };
}

export function exportCard(properties) {
  const { panel, count } = progressPanel();
  const form = buildForm({
    title: "Export to CSV",
    submitLabel: "Export CSV",
    fields: [
      { name: "report", label: "Report", type: "select", value: "dues", options: REPORTS },
      {
        name: "property_id",
        label: "Property",
        type: "select",
        value: "",
        options: [["", "All properties"], ...properties.map((p) => [p.id, p.name])],
      },
      { name: "from", label: "From", placeholder: "DD/MM/YYYY", hint: "Empty: from the start" },
      { name: "to", label: "To", placeholder: "DD/MM/YYYY", hint: "Dues: the day to age them on" },
    ],
    onSubmit: async (v) => {
      const request =
        v.report === "dues"
          ? { report: "dues", as_of: v.to || null }
          : { report: v.report, property_id: v.property_id || null, from: v.from || null, to: v.to || null };
      panel.hidden = false;
      count.textContent = "Starting…";
      const unlisten = await listen("export-progress", (e) => {
        count.textContent = `${e.payload.rows.toLocaleString("en-IN")} rows written`;
      });
      try {
        const done = await call("export_csv", { request });
        if (done) toast(`Saved ${done.rows.toLocaleString("en-IN")} rows to ${done.path}`);
      } finally {
        unlisten();
        panel.hidden = true;
      }
    },
  });
  return el("div", { class: "card-plain", "data-testid": "export-card" }, form, panel);
}
