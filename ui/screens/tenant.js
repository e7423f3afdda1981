// One tenant's page: profile and KYC (masked), stays and contract,
// documents, and the ledger with a running balance, with each invoice and
// receipt printable from its line.
import { call } from "../ipc.js";
import { el, openDialog, toast } from "../forms.js";
import { date, label, mobile, rupees } from "../format.js";
import { documentsPanel } from "../documents.js";
import { receiptActions } from "./billing.js";

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

function ledgerTable(ledger) {
  const rows = ledger.lines.map((line) => {
    const reference = line.invoice_number || line.receipt_number || "";
    const debit = line.amount_paise > 0 ? rupees(line.amount_paise) : "";
    const credit = line.amount_paise < 0 ? rupees(-line.amount_paise) : "";
    let action = "";
    if (line.kind === "charge" && line.invoice_id) action = invoiceButton(line);
    if (line.kind === "payment" && line.payment_id && !line.reversed) action = receiptActions(line.payment_id, line.receipt_number);
    return el(
      "tr",
      { class: line.reversed ? "reversed" : "" },
      el("td", { text: date(line.posted_on) }),
      el("td", { text: `${ENTRY[line.kind] || label(line.kind)}${line.reversed ? " (reversed)" : ""}` }),
      el("td", { text: reference }),
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
  const [tenant, allocations, ledger] = await Promise.all([
    call("get_tenant", { id }),
    call("tenant_allocations", { tenantId: id }),
    call("tenant_ledger", { tenantId: id }),
  ]);
  const current = allocations.find((a) => !a.move_out) || allocations[allocations.length - 1];
  const contract = current ? await call("get_contract", { allocationId: current.id }) : null;
  const back = el("button", { type: "button", class: "link", text: "← All tenants" });
  back.addEventListener("click", () => import("../app.js").then((app) => app.go("tenants")));
  const edit = el("button", { type: "button", text: "Edit tenant" });
  edit.addEventListener("click", () => {
    if (!editForm) return;
    const dialog = openDialog(`Edit ${tenant.full_name}`, editForm(tenant, () => {
      dialog.close();
      root.replaceChildren();
      renderTenant(root, id, row, editForm);
    }));
  });
  const b = ledger.balance;
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
    ledger.lines.length === 0 ? el("p", { class: "hint", text: "No entries yet: invoices and payments appear here." }) : ledgerTable(ledger),
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
          ["KYC", tenant.kyc_masked ? `${label(tenant.kyc_document)} ${tenant.kyc_masked}` : "Not given"],
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
    documents.panel,
  );
  root.append(section);
  return documents.close;
}
