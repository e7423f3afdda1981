// A contract's charges and discounts on the tenant page, and the deposit
// settlement at move-out.
import { call } from "./ipc.js";
import { buildForm, el, openDialog, textValues, toast } from "./forms.js";
import { date, rupees, today } from "./format.js";

const KINDS = [
  ["food", "Food"],
  ["laundry", "Laundry"],
  ["parking", "Parking"],
  ["housekeeping", "Housekeeping"],
  ["maintenance", "Maintenance"],
  ["other", "Other"],
];
const SCHEDULES = [["monthly", "Every month"], ["once", "Once"]];

function span(item) {
  if (item.schedule === "once") return `once on ${date(item.starts_on)}`;
  return `a month from ${date(item.starts_on)}${item.ends_on ? ` until ${date(item.ends_on)}` : ""}`;
}

function endButton(what, item, end, redraw) {
  const button = el("button", { type: "button", text: "End", "aria-label": `End ${what} ${item.description}` });
  button.addEventListener("click", () => {
    const dialog = openDialog(
      `End ${item.description}`,
      buildForm({
        fields: [{ name: "until", label: "No longer from", value: today(), placeholder: "DD/MM/YYYY", hint: "The first day it no longer applies" }],
        submitLabel: `End ${what}`,
        onSubmit: async (v) => {
          await end(item.id, v.until || "");
          dialog.close();
          toast(`${item.description} ended`);
          redraw();
        },
      }),
    );
  });
  return button;
}

function addDialog(title, fields, submitLabel, send, redraw) {
  const dialog = openDialog(
    title,
    buildForm({
      fields,
      submitLabel,
      onSubmit: async (v) => {
        const saved = await send(textValues(v));
        dialog.close();
        toast(`Added ${saved.description}`);
        redraw();
      },
    }),
  );
}

function settleDialog(contract, redraw) {
  const preview = el("div", { class: "settlement", role: "status" });
  let lastInput = null;
  const settle = el("button", { type: "button", class: "primary", text: "Confirm settlement", hidden: true });
  settle.addEventListener("click", async () => {
    try {
      const done = await call("settle_deposit", { contractId: contract.id, input: lastInput });
      dialog.close();
      toast(done.statement);
      redraw();
    } catch (e) {
      toast(e.message);
    }
  });
  const form = buildForm({
    fields: [
      { name: "on", label: "Settled on", value: today(), placeholder: "DD/MM/YYYY" },
      { name: "notice_short_days", label: "Notice short (days)", hint: "Blank: from the notice given; 0 waives it" },
      { name: "damage1", label: "Damage", wide: true, hint: "e.g. Broken window pane" },
      { name: "damage1_amount", label: "Damage cost (₹)", inputmode: "decimal" },
      { name: "damage2", label: "Other damage", wide: true },
      { name: "damage2_amount", label: "Other damage cost (₹)", inputmode: "decimal" },
    ],
    submitLabel: "Preview settlement",
    onSubmit: async (raw) => {
      const v = textValues(raw);
      const damages = [[v.damage1, v.damage1_amount], [v.damage2, v.damage2_amount]]
        .filter(([d, a]) => d || a)
        .map(([description, amount]) => ({ description, amount }));
      lastInput = { on: v.on, notice_short_days: v.notice_short_days || null, damages };
      const s = await call("preview_deposit_settlement", { contractId: contract.id, input: lastInput });
      preview.replaceChildren(
        el(
          "table",
          { class: "table" },
          el(
            "tbody",
            {},
            el("tr", {}, el("th", { scope: "row", text: "Deposit held" }), el("td", { text: rupees(s.deposit_held_paise) })),
            ...s.deductions.map((d) => el("tr", {}, el("th", { scope: "row", text: d.description }), el("td", { text: `− ${rupees(d.amount_paise)}` }))),
            el("tr", { class: "total" }, el("th", { scope: "row", text: s.refund_to_tenant_paise > 0 ? "Refund to tenant" : "Tenant still owes" }), el("td", { text: rupees(s.refund_to_tenant_paise || s.tenant_owes_paise) })),
          ),
        ),
        el("p", { text: s.statement }),
      );
      settle.hidden = false;
    },
  });
  const dialog = openDialog("Settle the deposit", form, preview, el("div", { class: "actions" }, settle));
}

export async function contractExtras(contract, allocation, redraw) {
  const [extras, settlement] = await Promise.all([
    call("contract_extras", { contractId: contract.id }),
    call("deposit_settlement", { contractId: contract.id }),
  ]);
  const rows = [
    ...extras.charges.map((c) =>
      el("li", {}, `${c.description} · ${rupees(c.amount_paise)} ${span(c)} `, c.schedule === "monthly" && !c.ends_on ? endButton("charge", c, (chargeId, until) => call("end_contract_charge", { chargeId, until }), redraw) : null),
    ),
    ...extras.discounts.map((d) =>
      el(
        "li",
        {},
        `${d.description} · less ${d.amount_paise != null ? rupees(d.amount_paise) : `${d.percent_bp / 100}% of rent`} ${span(d)} `,
        d.schedule === "monthly" && !d.ends_on ? endButton("discount", d, (discountId, until) => call("end_contract_discount", { discountId, until }), redraw) : null,
      ),
    ),
  ];
  const addCharge = el("button", { type: "button", text: "Add charge" });
  addCharge.addEventListener("click", () =>
    addDialog(
      "Add a charge",
      [
        { name: "kind", label: "Charge", type: "select", options: KINDS },
        { name: "description", label: "Invoice text", hint: "e.g. Meals (breakfast and dinner)" },
        { name: "amount", label: "Amount (₹)", inputmode: "decimal" },
        { name: "schedule", label: "How often", type: "select", options: SCHEDULES },
        { name: "from", label: "From", value: today(), placeholder: "DD/MM/YYYY" },
        { name: "until", label: "Until", placeholder: "DD/MM/YYYY", hint: "Blank while it runs" },
      ],
      "Save charge",
      (input) => call("add_contract_charge", { contractId: contract.id, input: { ...input, until: input.until || null } }),
      redraw,
    ),
  );
  const addDiscount = el("button", { type: "button", text: "Add discount" });
  addDiscount.addEventListener("click", () =>
    addDialog(
      "Add a discount",
      [
        { name: "description", label: "Invoice text", hint: "e.g. Early payment discount" },
        { name: "amount", label: "Amount (₹)", inputmode: "decimal", hint: "Or a percent of rent below" },
        { name: "percent", label: "Percent of rent", inputmode: "decimal" },
        { name: "schedule", label: "How often", type: "select", options: SCHEDULES },
        { name: "from", label: "From", value: today(), placeholder: "DD/MM/YYYY" },
        { name: "until", label: "Until", placeholder: "DD/MM/YYYY", hint: "Blank while it runs" },
      ],
      "Save discount",
      (input) => call("add_contract_discount", { contractId: contract.id, input: { ...input, until: input.until || null } }),
      redraw,
    ),
  );
  const actions = [addCharge, addDiscount];
  if (settlement) {
    rows.push(el("li", { class: "settled" }, `Deposit settled on ${date(settlement.settled_on)}: ${settlement.statement}`));
  } else if (allocation && allocation.move_out) {
    const settle = el("button", { type: "button", text: "Settle deposit" });
    settle.addEventListener("click", () => settleDialog(contract, redraw));
    actions.push(settle);
  }
  return el(
    "div",
    { class: "card-plain extras" },
    el("h2", { text: "Charges, discounts and deposit" }),
    rows.length ? el("ul", { class: "plain extras-list" }, ...rows) : el("p", { class: "hint", text: "Rent only: no food, laundry or other charges, no discounts." }),
    el("div", { class: "actions" }, ...actions),
  );
}
