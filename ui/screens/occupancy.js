// Occupancy on a day: overall figures and one row per property.
import { call } from "../ipc.js";
import { buildForm, el } from "../forms.js";
import { date, financialYear, percent, today } from "../format.js";

function figure(label, value, testId) {
  return el(
    "div",
    { class: "figure", "data-testid": testId },
    el("span", { class: "figure-value", text: String(value) }),
    el("span", { class: "figure-label", text: label }),
  );
}

export async function renderOccupancy(root, on = today()) {
  const [report, properties] = await Promise.all([
    call("occupancy", { on }),
    call("list_properties"),
  ]);
  const names = new Map(properties.map((p) => [p.id, p.name]));
  const o = report.overall;
  const section = el("section", { class: "panel" });
  section.append(
    el(
      "div",
      { class: "panel-head" },
      el(
        "div",
        {},
        el("h1", { text: `Occupancy on ${date(report.on)}` }),
        el("p", { class: "lead", text: `${financialYear(report.on)} · press Ctrl+K to search or jump anywhere` }),
      ),
      buildForm({
        fields: [{ name: "on", label: "On date", value: on, placeholder: "DD/MM/YYYY" }],
        submitLabel: "Show",
        onSubmit: async (values) => {
          await call("occupancy", { on: values.on || "" });
          root.replaceChildren();
          await renderOccupancy(root, values.on || today());
        },
      }),
    ),
    el(
      "div",
      { class: "figures" },
      figure("Beds", o.total, "beds-total"),
      figure("Occupied", o.occupied, "beds-occupied"),
      figure("On notice", o.on_notice, "beds-on-notice"),
      figure("Reserved", o.reserved, "beds-reserved"),
      figure("Vacant", o.vacant, "beds-vacant"),
      figure("Occupancy", percent(o.occupied, o.total), "occupancy-percent"),
    ),
  );
  if (report.properties.length === 0) {
    section.append(el("p", { class: "lead", text: "No beds yet. Add a property and its rooms under Properties." }));
  } else {
    const table = el(
      "table",
      { class: "table" },
      el(
        "thead",
        {},
        el("tr", {}, ...["Property", "Beds", "Occupied", "On notice", "Reserved", "Vacant", "Occupancy"].map((h) => el("th", { scope: "col", text: h }))),
      ),
    );
    const body = el("tbody");
    for (const p of report.properties) {
      const c = p.counts;
      body.append(
        el(
          "tr",
          {},
          el("th", { scope: "row", text: names.get(p.property_id) || p.property_id }),
          ...[c.total, c.occupied, c.on_notice, c.reserved, c.vacant, percent(c.occupied, c.total)].map((v) =>
            el("td", { text: String(v) }),
          ),
        ),
      );
    }
    table.append(body);
    section.append(table);
  }
  root.append(section);
}
