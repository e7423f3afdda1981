// The owner's first screen: occupancy today and over twelve months, billed
// against collected, dues with arrears ageing, this week's move-ins and
// move-outs, and beds out of service — for one property or all of them.
import { call } from "../ipc.js";
import { el } from "../forms.js";
import { compactRupees, date, financialYear, percent, rupees } from "../format.js";
import { barChart } from "../charts.js";

function figure(label, value, testId, detail) {
  return el(
    "div",
    { class: "figure", "data-testid": testId },
    el("span", { class: "figure-value", text: String(value) }),
    el("span", { class: "figure-label", text: label }),
    detail ? el("span", { class: "figure-detail", text: detail }) : null,
  );
}

function movements(title, rows, empty) {
  return el(
    "div",
    { class: "card-plain" },
    el("h2", { text: title }),
    rows.length === 0
      ? el("p", { class: "hint", text: empty })
      : el(
          "ul",
          { class: "movements" },
          ...rows.map((m) => el("li", {}, el("strong", { text: m.full_name }), ` · ${m.property_name}, room ${m.room}, bed ${m.bed} · ${date(m.on)}`)),
        ),
  );
}

export async function renderDashboard(root, propertyId = null) {
  const [board, properties] = await Promise.all([
    call("dashboard", { propertyId }),
    call("list_properties"),
  ]);
  const section = el("section", { class: "panel dashboard" });
  const scope = el(
    "select",
    { id: "dashboard-scope" },
    el("option", { value: "", text: "All properties" }),
    ...properties.map((p) => el("option", { value: p.id, text: p.name, selected: p.id === propertyId })),
  );
  scope.addEventListener("change", () => {
    root.replaceChildren();
    renderDashboard(root, scope.value || null);
  });
  section.append(
    el(
      "div",
      { class: "panel-head" },
      el(
        "div",
        {},
        el("h1", { text: "Dashboard" }),
        el("p", { class: "lead", text: `As of ${date(board.as_of)} · ${financialYear(board.as_of)} · Ctrl+K to search or jump anywhere` }),
      ),
      el("div", { class: "field" }, el("label", { for: "dashboard-scope", text: "Show" }), scope),
    ),
  );
  if (properties.length === 0) {
    section.append(el("p", { class: "lead", text: "No properties yet. Add one under Properties, or load the sample business from the welcome screen." }));
    root.append(section);
    return;
  }
  const o = board.occupancy;
  section.append(
    el(
      "div",
      { class: "figures" },
      figure("Occupancy", percent(o.occupied, o.total), "dash-occupancy", `${o.occupied} of ${o.total} beds`),
      figure("On notice", o.on_notice, "dash-on-notice"),
      figure("Reserved", o.reserved, "dash-reserved"),
      figure("Vacant", o.vacant, "dash-vacant"),
      figure("Overdue", "…", "dash-dues-pending", "working out dues…"),
      figure("Out of service", board.beds_out_of_service, "dash-out-of-service", "beds blocked"),
    ),
  );
  const months = board.money.map((m) => m.month);
  section.append(
    el(
      "div",
      { class: "two-columns" },
      barChart({
        title: "Occupancy, last 12 months",
        months: board.occupancy_history.map((m) => m.month),
        series: [
          {
            name: "Occupied",
            className: "series-occupied",
            values: board.occupancy_history.map((m) => (m.beds ? (100 * m.occupied) / m.beds : 0)),
          },
        ],
        max: 100,
        format: (v) => `${Math.round(v)}%`,
      }),
      barChart({
        title: "Billed and collected, last 12 months",
        months,
        series: [
          { name: "Billed", className: "series-billed", values: board.money.map((m) => m.billed_paise) },
          { name: "Collected", className: "series-collected", values: board.money.map((m) => m.collected_paise) },
        ],
        format: (v, axis) => (axis ? compactRupees(v) : rupees(Math.round(v))),
      }),
    ),
  );
  section.append(
    el(
      "div",
      { class: "three-columns" },
      el("div", { class: "card-plain", id: "dues-by-age" }, el("h2", { text: "Dues by age" }), el("p", { class: "hint", text: "Working out dues…" })),
      movements("Moving in this week", board.moving_in, "Nobody moves in this week."),
      movements("Moving out this week", board.moving_out, "Nobody moves out this week."),
    ),
  );
  section.setAttribute("data-ready", "true");
  root.append(section);
  // Dues fill in once worked out (a fraction of a second at 50,000
  // beds), and the rest of the screen is usable meanwhile.
  call("dashboard_dues", { propertyId })
    .then((summary) => showDues(section, summary))
    .catch((e) => {
      section.querySelector("#dues-by-age p").textContent = e.message;
    });
}

function showDues(section, summary) {
  const dues = summary.ageing;
  const pending = section.querySelector("[data-testid='dash-dues-pending']");
  if (pending) {
    pending.replaceWith(figure("Overdue", rupees(dues.total_paise - dues.not_yet_due_paise), "dash-dues", `${summary.tenants_owing} tenants owe`));
  }
  const card = section.querySelector("#dues-by-age");
  card.replaceChildren(
    el("h2", { text: "Dues by age" }),
    el(
      "table",
      { class: "table ageing", "data-testid": "dues-ageing" },
      el(
        "tbody",
        {},
        ...[
          ["Not yet due", dues.not_yet_due_paise],
          ["0–30 days", dues.days_0_30_paise],
          ["31–60 days", dues.days_31_60_paise],
          ["61–90 days", dues.days_61_90_paise],
          ["Over 90 days", dues.over_90_paise],
        ].map(([label, paise]) => el("tr", {}, el("th", { scope: "row", text: label }), el("td", { text: rupees(paise) }))),
        el("tr", { class: "total" }, el("th", { scope: "row", text: "Total" }), el("td", { text: rupees(dues.total_paise) })),
      ),
    ),
  );
}
