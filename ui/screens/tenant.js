// One tenant's page: profile and KYC (masked), stays and contract,
// documents, and the ledger with a running balance, with each invoice and
// receipt printable from its line.
import { call } from "../ipc.js";
import { buildForm, el, openDialog, toast } from "../forms.js";
import { date, label, mobile, rupees, today } from "../format.js";
import { documentsPanel } from "../documents.js";
import { receiptActions } from "./billing.js";
import { contractExtras } from "../contract_extras.js";

const KYC = { aadhaar: "Aadhaar", pan: "PAN", passport: "Passport", voter_id: "Voter ID", driving_licence: "Driving licence" };

const ENTRY = {
  charge: "Invoice",
  payment: "Payment",
  deposit_held: "Deposit received",
  deposit_refunded: "Deposit refunded",
  adjustment: "Adjustment",
  reversal: "Reversal",
};

function facts(pairs) {
  return el("dl", { class: "facts" }, ...pairs.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v || "—")]));
}

function invoiceButton(line) {
  const print = el("button", { type: "button", text: "Print", "aria-label": `Print invoice ${line.invoice_number}` });
  print.addEventListener("click", () => call("print_invoice", { invoiceId: line.invoice_id }).catch((e) => toast(e.message)));
  return print;
}

// A correction asked for in a small dialog: the form's fields, the command
// to call, and what to say when it is done. The page is drawn again after.
function correction(buttonText, ariaLabel, title, fields, submitLabel, run, done, redraw) {
  const button = el("button", { type: "button", text: buttonText, "aria-label": ariaLabel });
  button.addEventListener("click", () => {
    const dialog = openDialog(
      title,
      buildForm({
        fields,
        submitLabel,
        onSubmit: async (values) => {
          await run(values);
          dialog.close();
          toast(done);
          redraw();
        },
      }),
    );
  });
  return button;
}

function lineActions(line, payments, redraw) {
  const actions = [];
  const on = { name: "on", label: "On", value: today(), placeholder: "DD/MM/YYYY" };
  if (line.kind === "charge" && line.invoice_id && !line.reversed) {
    actions.push(invoiceButton(line));
    actions.push(
      correction("Cancel", `Cancel invoice ${line.invoice_number}`, `Cancel invoice ${line.invoice_number}`,
        [on, { name: "reason", label: "Reason", wide: true, hint: "Shown on the ledger, e.g. billed the wrong room" }],
        "Cancel invoice",
        (v) => call("cancel_invoice", { invoiceId: line.invoice_id, on: v.on || "", reason: v.reason || "" }),
        `Invoice ${line.invoice_number} cancelled`, redraw),
    );
  }
  if (line.kind === "payment" && line.payment_id && !line.reversed) {
    const payment = payments.get(line.payment_id);
    actions.push(receiptActions(line.payment_id, line.receipt_number));
    if (payment && payment.cheque_state === "pending") {
      actions.push(
        correction("Cheque cleared", `Cheque of ${line.receipt_number} cleared`, `Cheque of receipt ${line.receipt_number} cleared`,
          [on], "Mark cleared",
          (v) => call("clear_cheque", { paymentId: line.payment_id, on: v.on || "" }),
          `Cheque of ${line.receipt_number} cleared`, redraw),
        correction("Cheque bounced", `Cheque of ${line.receipt_number} bounced`, `Cheque of receipt ${line.receipt_number} bounced`,
          [on, { name: "bounce_charge", label: "Bounce charge (₹)", inputmode: "decimal", hint: "Optional: charged to the tenant" }],
          "Mark bounced",
          (v) => call("bounce_cheque", { paymentId: line.payment_id, on: v.on || "", bounceCharge: v.bounce_charge || null }),
          `Cheque of ${line.receipt_number} bounced; the payment is reversed`, redraw),
      );
    } else {
      actions.push(
        correction("Reverse", `Reverse payment ${line.receipt_number}`, `Reverse payment ${line.receipt_number}`,
          [on, { name: "reason", label: "Reason", wide: true, hint: "Shown on the ledger, e.g. booked to the wrong tenant" }],
          "Reverse payment",
          (v) => call("reverse_payment", { paymentId: line.payment_id, on: v.on || "", reason: v.reason || "" }),
          `Payment ${line.receipt_number} reversed`, redraw),
      );
    }
  }
  return el("span", { class: "actions" }, ...actions);
}

function ledgerTable(ledger, payments, redraw) {
  const rows = ledger.lines.map((line) => {
    const reference = line.invoice_number || line.receipt_number || "";
    const debit = line.amount_paise > 0 ? rupees(line.amount_paise) : "";
    const credit = line.amount_paise < 0 ? rupees(-line.amount_paise) : "";
    const action = lineActions(line, payments, redraw);
    return el(
      "tr",
      { class: line.reversed ? "reversed" : "" },
      el("td", { class: "nowrap", text: date(line.posted_on) }),
      el("td", { text: `${ENTRY[line.kind] || label(line.kind)}${line.reversed ? " (reversed)" : ""}` }),
      el("td", { class: "nowrap", text: reference }),
      el("td", { text: line.memo }),
      el("td", { class: "amount", text: debit }),
      el("td", { class: "amount", text: credit }),
      el("td", { class: "amount", text: rupees(line.running_balance_paise) }),
      el("td", {}, action),
    );
  });
  return el(
    "table",
    { class: "table ledger", "data-testid": "tenant-ledger" },
    el("thead", {}, el("tr", {}, ...["Date", "Entry", "Number", "Details", "Debit", "Credit", "Balance", ""].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.reverse()),
  );
}

export async function renderTenant(root, id, row = {}, editForm = null) {
  const [tenant, allocations, ledger, paymentList] = await Promise.all([
    call("get_tenant", { id }),
    call("tenant_allocations", { tenantId: id }),
    call("tenant_ledger", { tenantId: id }),
    call("tenant_payments", { tenantId: id }),
  ]);
  const payments = new Map(paymentList.map((p) => [p.id, p]));
  // Where the tenant is now, as the tenant list shows it (when opened
  // from elsewhere, found by the mobile number).
  if (!row.full_name) {
    const found = await call("search_tenants", { query: tenant.mobile.slice(-10), limit: 20 });
    row = found.find((t) => t.id === id) || row;
  }
  let leave = null;
  const redraw = () => {
    if (leave) leave();
    root.replaceChildren();
    renderTenant(root, id, row, editForm).then((next) => {
      leave = next;
    });
  };
  const current = allocations.find((a) => !a.move_out) || allocations[allocations.length - 1];
  const contract = current ? await call("get_contract", { allocationId: current.id }) : null;
  const back = el("button", { type: "button", class: "link", text: "← All tenants" });
  back.addEventListener("click", () => import("../app.js").then((app) => app.go("tenants")));
  const edit = el("button", { type: "button", text: "Edit tenant" });
  edit.addEventListener("click", () => {
    if (!editForm) return;
    const dialog = openDialog(`Edit ${tenant.full_name}`, editForm(tenant, () => {
      dialog.close();
      redraw();
    }));
  });
  const b = ledger.balance;
  const extras = contract ? await contractExtras(contract, current, redraw) : null;
  const documents = documentsPanel(id);
  const section = el(
    "section",
    { class: "panel tenant-page" },
    back,
    el(
      "div",
      { class: "panel-head" },
      el("div", {}, el("h1", { text: tenant.full_name }), el("p", { class: "lead", text: [row.property, row.room && `room ${row.room}`, row.bed && `bed ${row.bed}`].filter(Boolean).join(", ") || "No bed now" })),
      el("div", { class: "actions" }, edit),
    ),
    el(
      "div",
      { class: "figures" },
      ...[
        ["Dues", rupees(Math.max(b.outstanding_paise, 0)), "tenant-dues"],
        ["Credit", rupees(b.credit_paise), "tenant-credit"],
        ["Deposit held", rupees(b.deposit_held_paise), "tenant-deposit"],
        ["Monthly rent", contract ? rupees(contract.monthly_rent_paise) : "—", "tenant-rent"],
      ].map(([k, v, t]) => el("div", { class: "figure", "data-testid": t }, el("span", { class: "figure-value", text: v }), el("span", { class: "figure-label", text: k }))),
    ),
    el("h2", { text: "Ledger" }),
    ledger.lines.length === 0 ? el("p", { class: "hint", text: "No entries yet: invoices and payments appear here." }) : ledgerTable(ledger, payments, redraw),
    ledger.lines.length === 0 ? null : el("p", { class: "hint", text: "Balance is what the tenant owes less the deposit held, so it is below zero while a deposit is held. Dues above are what is unpaid." }),
    el(
      "div",
      { class: "two-columns" },
      el(
        "div",
        { class: "card-plain" },
        el("h2", { text: "Profile and KYC" }),
        facts([
          ["Mobile", mobile(tenant.mobile)],
          ["Email", tenant.email],
          ["Occupation", [label(tenant.occupation), tenant.college_or_employer].filter(Boolean).join(", ")],
          ["KYC", tenant.kyc_masked ? `${KYC[tenant.kyc_document] || label(tenant.kyc_document)} ${tenant.kyc_masked}` : "Not given"],
          ["Police verification", label(tenant.police_verification) + (tenant.police_verified_on ? ` on ${date(tenant.police_verified_on)}` : "")],
          ["Emergency contact", [tenant.emergency_name, mobile(tenant.emergency_phone)].filter(Boolean).join(", ")],
        ]),
      ),
      el(
        "div",
        { class: "card-plain" },
        el("h2", { text: "Stay and contract" }),
        facts([
          ["Stays", allocations.length ? el("ul", { class: "plain" }, ...allocations.map((a) => el("li", { text: `${date(a.move_in)} → ${a.move_out ? date(a.move_out) : "ongoing"}${a.notice_on ? ` (notice ${date(a.notice_on)})` : ""}` }))) : "None yet"],
          ["Contract", contract ? `${label(contract.status)} from ${date(contract.starts_on)}${contract.ends_on ? ` to ${date(contract.ends_on)}` : ""}` : "None"],
          ["Deposit agreed", contract ? rupees(contract.deposit_paise) : ""],
          ["Notice period", contract ? `${contract.notice_days} days` : ""],
          ["Rent due on", contract ? `day ${contract.billing_day} of the month` : ""],
        ]),
      ),
    ),
    extras,
    documents.panel,
  );
  root.append(section);
  leave = documents.close;
  return () => leave && leave();
}
