// What a property's billing run reads besides rent: this month's
// electricity meter readings per room, and the late-fee rule.
import { call } from "./ipc.js";
import { buildForm, el, textValues, toast } from "./forms.js";
import { date, rupees, today } from "./format.js";

function units(hundredths) {
  return (hundredths / 100).toLocaleString("en-IN", { maximumFractionDigits: 2 });
}

export async function electricityCard(propertyId, month, rerender) {
  const [rooms, readings] = await Promise.all([
    call("list_rooms", { propertyId }),
    call("meter_readings", { propertyId, month }),
  ]);
  const live = rooms.filter((r) => !r.retired_on);
  const number = new Map(live.map((r) => [r.id, r.number]));
  const form = buildForm({
    title: "Electricity readings",
    submitLabel: "Record reading",
    fields: [
      { name: "room_id", label: "Room", type: "select", options: live.map((r) => [r.id, `Room ${r.number}`]) },
      { name: "month", label: "Billing month", value: month, placeholder: "MM/YYYY" },
      { name: "reading_on", label: "Read on", value: today(), placeholder: "DD/MM/YYYY" },
      { name: "reading", label: "Meter reading", inputmode: "decimal", hint: "Units the meter shows, e.g. 1320.5" },
      { name: "rate_per_unit", label: "Rate per unit (₹)", inputmode: "decimal", value: "9" },
      { name: "previous_reading", label: "Previous reading", inputmode: "decimal", hint: "Only for a room's first reading or a new meter" },
      { name: "previous_on", label: "Previous read on", placeholder: "DD/MM/YYYY" },
    ],
    onSubmit: async (raw) => {
      const v = textValues(raw);
      const { room_id: roomId, ...input } = v;
      const saved = await call("record_meter_reading", {
        roomId,
        input: { ...input, previous_reading: input.previous_reading || null, previous_on: input.previous_on || null },
      });
      toast(`Room ${number.get(roomId)}: ${units(saved.units)} units, ${rupees(saved.amount_paise)}; split among its occupants when billed`);
      await rerender();
    },
  });
  const list =
    readings.length === 0
      ? el("p", { class: "hint", text: `No readings for ${month} yet.` })
      : el(
          "table",
          { class: "table" },
          el("thead", {}, el("tr", {}, ...["Room", "From", "To", "Units", "Amount"].map((h) => el("th", { scope: "col", text: h })))),
          el(
            "tbody",
            {},
            ...readings.map((r) =>
              el(
                "tr",
                {},
                el("td", { text: number.get(r.room_id) || "" }),
                el("td", { text: `${units(r.previous_units)} on ${date(r.previous_on)}` }),
                el("td", { text: `${units(r.reading_units)} on ${date(r.reading_on)}` }),
                el("td", { text: units(r.units) }),
                el("td", { text: rupees(r.amount_paise) }),
              ),
            ),
          ),
        );
  return el("div", { class: "card-plain" }, form, list);
}

export async function lateFeeCard(propertyId) {
  const rule = await call("late_fee_rule", { propertyId });
  const kind = rule.enabled ? rule.kind : "off";
  const value = rule.kind === "percent" && rule.percent_bp != null ? String(rule.percent_bp / 100) : rule.flat_paise != null ? String(rule.flat_paise / 100) : "";
  return el(
    "div",
    { class: "card-plain" },
    buildForm({
      title: "Late fee",
      submitLabel: "Save late fee",
      fields: [
        { name: "kind", label: "Late fee", type: "select", value: kind, options: [["off", "Off"], ["flat", "Flat amount"], ["percent", "Percent of what is overdue"]] },
        { name: "value", label: "Amount (₹) or percent", value, inputmode: "decimal" },
        { name: "after_days", label: "Days of grace after the due date", value: rule.after_days != null ? String(rule.after_days) : "5", inputmode: "numeric" },
        { name: "cap", label: "At most (₹)", value: rule.cap_paise != null ? String(rule.cap_paise / 100) : "", inputmode: "decimal", hint: "Blank for no cap" },
      ],
      onSubmit: async (raw) => {
        const v = textValues(raw);
        const input = { ...v, enabled: v.kind !== "off", kind: v.kind === "off" ? "flat" : v.kind };
        const saved = await call("set_late_fee_rule", { propertyId, input });
        toast(saved.enabled ? "Late fee saved; the next billing run charges it on overdue invoices" : "Late fee switched off");
      },
    }),
  );
}
