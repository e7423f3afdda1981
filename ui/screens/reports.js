// Reports: collections by month and mode, deposits held, occupancy over
// twelve months and the dues list — each saved as CSV with one button.
import { call } from "../ipc.js";
import { el } from "../forms.js";
import { percent, rupees } from "../format.js";
import { monthLabel } from "../charts.js";
import { exportButton } from "../exports.js";

function table(headers, rows, testId) {
  return el(
    "table",
    { class: "table report", "data-testid": testId },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", { text: c }))))),
  );
}

function card(title, report, body) {
  return el(
    "div",
    { class: "card-plain report-card" },
    el("div", { class: "panel-head" }, el("h2", { text: title }), exportButton(report, title.toLowerCase())),
    body,
  );
}

export async function renderReports(root) {
  const [reports, board, dues] = await Promise.all([
    call("reports"),
    call("dashboard", { propertyId: null }),
    call("dues_report", { offset: 0, limit: 100 }),
  ]);
  const c = reports.collections;
  const sum = (key) => c.reduce((total, m) => total + m[key], 0);
  const collections =
    c.length === 0
      ? el("p", { class: "hint", text: "No payments in the last 12 months." })
      : table(
          ["Month", "UPI", "Cash", "Bank transfer", "Cheque", "Total"],
          [
            ...c.map((m) => [monthLabel(m.month, true), rupees(m.upi_paise), rupees(m.cash_paise), rupees(m.bank_transfer_paise), rupees(m.cheque_paise), rupees(m.total_paise)]),
            ["Total", rupees(sum("upi_paise")), rupees(sum("cash_paise")), rupees(sum("bank_transfer_paise")), rupees(sum("cheque_paise")), rupees(sum("total_paise"))],
          ],
          "collections",
        );
  // The 100 largest; the CSV holds everyone.
  const held = reports.deposits;
  const deposits =
    held.count === 0
      ? el("p", { class: "hint", text: "No deposits held." })
      : el(
          "div",
          {},
          el("p", {
            class: "lead",
            "data-testid": "deposits-summary",
            text: `${rupees(held.held_paise)} held for ${held.count.toLocaleString("en-IN")} tenants${held.count > held.largest.length ? `; the ${held.largest.length} largest below, everyone in the CSV` : ""}`,
          }),
          table(["Tenant", "Property", "Held"], held.largest.map((d) => [d.full_name, d.property || "—", rupees(d.held_paise)]), "deposits"),
        );
  const occupancy = table(
    ["Month", "Beds", "Occupied", "Occupancy"],
    board.occupancy_history.map((m) => [monthLabel(m.month, true), String(m.beds), String(m.occupied), percent(m.occupied, m.beds)]),
    "occupancy-history",
  );
  // The 100 who owe most; the CSV holds everyone.
  const duesTable =
    dues.owing_count === 0
      ? el("p", { class: "hint", text: "Nobody owes anything." })
      : el(
          "div",
          {},
          el("p", {
            class: "lead",
            "data-testid": "dues-summary",
            text: `${rupees(dues.total.total_paise)} owed by ${dues.owing_count.toLocaleString("en-IN")} tenants${dues.owing_count > dues.tenants.length ? `; the ${dues.tenants.length} who owe most below, everyone in the CSV` : ""}`,
          }),
          table(
            ["Tenant", "Outstanding", "Over 90 days"],
            dues.tenants.map((t) => [t.full_name, rupees(t.outstanding_paise), rupees(t.ageing.over_90_paise)]),
            "dues-list",
          ),
        );
  root.append(
    el(
      "section",
      { class: "panel" },
      el("div", { class: "panel-head" }, el("h1", { text: "Reports" })),
      el("div", { class: "two-columns" }, card("Collections by month and mode", "collections", collections), card("Occupancy, last 12 months", "occupancy", occupancy)),
      el("div", { class: "two-columns rules" }, card("Dues", "dues", duesTable), card("Deposits held", "deposits", deposits)),
    ),
  );
}
