// Billing: run a month for a property, the month's invoices, record a
// payment in a few keystrokes, and who owes what with ageing.
import { call } from "../ipc.js";
import { buildForm, el, toast } from "../forms.js";
import { date, mobile, rupees, today } from "../format.js";
import { tenantPicker } from "../tenant_picker.js";
import { exportCard } from "../exports.js";
import { electricityCard, lateFeeCard } from "../billing_rules.js";
import { pager } from "../pager.js";

function thisMonth() {
  const [, m, y] = today().split("/");
  return `${m}/${y}`;
}

function table(headers, rows) {
  return el(
    "table",
    { class: "table" },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => (c instanceof Node ? el("td", {}, c) : el("td", { text: c })))))),
  );
}

// The month's invoices as one PDF or a folder of files, with a progress
// bar and a cancel button while they are drawn.
function monthPrinting(propertyId, month, count) {
  const oneFile = el("input", { type: "checkbox", id: "one-pdf", checked: true });
  const go = el("button", { type: "button", text: `Save all ${count} invoices as PDF` });
  const bar = el("progress", { "aria-label": "Printing progress", max: count, value: 0 });
  const cancel = el("button", { type: "button", text: "Cancel printing" });
  cancel.addEventListener("click", () => call("cancel_export"));
  const panel = el("div", { class: "progress-panel", role: "status", hidden: true }, bar, cancel);
  go.addEventListener("click", async () => {
    panel.hidden = false;
    const api = window.__TAURI__ && window.__TAURI__.event;
    const unlisten = api ? await api.listen("pdf-progress", (e) => { bar.max = e.payload.total; bar.value = e.payload.done; }) : () => {};
    try {
      const saved = await call("save_month_pdfs", { propertyId, month, oneFile: oneFile.checked });
      if (saved) toast(`Saved ${saved.invoices} invoices to ${saved.path}`);
    } catch (e) {
      toast(e.message);
    } finally {
      unlisten();
      panel.hidden = true;
    }
  });
  return el(
    "div",
    { class: "field-row" },
    go,
    el("span", { class: "checkbox" }, oneFile, el("label", { for: "one-pdf", text: "One file, one invoice per page" })),
    panel,
  );
}

// A payment's rent receipt, opened to print or saved as a PDF.
export function receiptActions(paymentId, receiptNumber) {
  const print = el("button", { type: "button", text: "Print receipt", "aria-label": `Print receipt ${receiptNumber}` });
  print.addEventListener("click", () => call("print_receipt", { paymentId }).catch((e) => toast(e.message)));
  const save = el("button", { type: "button", text: "Save receipt PDF", "aria-label": `Save receipt ${receiptNumber} as PDF` });
  save.addEventListener("click", async () => {
    try {
      const path = await call("save_receipt_pdf", { paymentId });
      if (path) toast(`Saved ${path}`);
    } catch (e) {
      toast(e.message);
    }
  });
  return el("span", { class: "actions" }, print, save);
}

export async function renderBilling(root, state = {}) {
  const properties = await call("list_properties");
  const section = el("section", { class: "panel" });
  root.append(section);
  section.append(el("div", { class: "panel-head" }, el("h1", { text: "Billing" })));
  if (properties.length === 0) {
    section.append(el("p", { class: "lead", text: "Add a property with rooms and tenants first." }));
    return;
  }
  const propertyId = state.propertyId || properties[0].id;
  const month = state.month || thisMonth();
  const rerender = (next) => {
    root.replaceChildren();
    return renderBilling(root, { propertyId, month, ...next });
  };

  const runForm = buildForm({
    title: "Run a month",
    submitLabel: "Run billing",
    fields: [
      { name: "property_id", label: "Property", type: "select", value: propertyId, options: properties.map((p) => [p.id, p.name]) },
      { name: "month", label: "Month", value: month, placeholder: "MM/YYYY" },
      { name: "invoice_date", label: "Invoice date", value: today(), placeholder: "DD/MM/YYYY" },
    ],
    onSubmit: async (v) => {
      const report = await call("run_billing", { propertyId: v.property_id, month: v.month || "", invoiceDate: v.invoice_date });
      toast(report.summary);
      await rerender({ propertyId: v.property_id, month: v.month, summary: report.summary });
    },
  });
  const picker = tenantPicker();
  const paymentForm = buildForm({
    title: "Record a payment",
    submitLabel: "Record payment",
    prepend: picker.element,
    fields: [
      { name: "amount", label: "Amount (₹)", inputmode: "decimal" },
      {
        name: "mode",
        label: "Mode",
        type: "select",
        value: "upi",
        options: [["upi", "UPI"], ["cash", "Cash"], ["bank_transfer", "Bank transfer"], ["cheque", "Cheque"]],
      },
      { name: "reference", label: "UTR / reference", hint: "UPI: the 12-digit UTR from the payment app" },
      { name: "paid_on", label: "Paid on", value: today(), placeholder: "DD/MM/YYYY" },
      { name: "cheque_number", label: "Cheque number" },
      { name: "cheque_bank", label: "Cheque bank" },
    ],
    onSubmit: async (v) => {
      const tenant = picker.chosen();
      const input = {
        mode: v.mode,
        amount: v.amount || "",
        paid_on: v.paid_on || "",
        reference: v.reference || "",
        cheque_number: v.cheque_number || "",
        cheque_bank: v.cheque_bank || "",
      };
      const recorded = await call("record_payment", { tenantId: tenant.id, input });
      const message = `Receipt ${recorded.payment.receipt_number}: ${rupees(recorded.payment.amount_paise)} from ${tenant.full_name}; dues now ${rupees(recorded.balance.dues_paise)}`;
      toast(message);
      await rerender({ paymentMessage: message, paymentId: recorded.payment.id, receiptNumber: recorded.payment.receipt_number });
    },
  });
  section.append(el("div", { class: "two-columns" }, el("div", { class: "card-plain" }, runForm), el("div", { class: "card-plain" }, paymentForm)));
  const [electricity, lateFee] = await Promise.all([
    electricityCard(propertyId, month, () => rerender({})),
    lateFeeCard(propertyId),
  ]);
  section.append(el("div", { class: "two-columns rules" }, electricity, lateFee));
  if (state.summary) section.append(el("p", { class: "notice", role: "status", text: state.summary }));
  if (state.paymentMessage) {
    section.append(
      el(
        "div",
        { class: "notice", role: "status" },
        el("span", { text: state.paymentMessage }),
        receiptActions(state.paymentId, state.receiptNumber),
      ),
    );
  }

  const property = properties.find((p) => p.id === propertyId);
  section.append(el("h2", { text: `Invoices of ${property.name} for ${month}` }));
  const invoiceActions = (i) => {
    const print = el("button", { type: "button", text: "Print", "aria-label": `Print invoice ${i.number}` });
    print.addEventListener("click", () => call("print_invoice", { invoiceId: i.id }).catch((e) => toast(e.message)));
    const save = el("button", { type: "button", text: "Save PDF", "aria-label": `Save invoice ${i.number} as PDF` });
    save.addEventListener("click", async () => {
      try {
        const path = await call("save_invoice_pdf", { invoiceId: i.id });
        if (path) toast(`Saved ${path}`);
      } catch (e) {
        toast(e.message);
      }
    });
    return el("span", { class: "actions" }, print, save);
  };
  const invoicesSlot = el("div", { class: "invoices-slot" });
  section.append(invoicesSlot);
  await showInvoicePage(invoicesSlot, { propertyId, month, offset: 0, invoiceActions });
  // The dues list fills in below while the forms above are already usable
  // (a fraction of a second at 50,000 beds), a page at a time.
  const duesSlot = el("div", { class: "dues-slot" }, el("h2", { text: "Dues" }), el("p", { class: "hint", text: "Working out dues…" }));
  section.append(duesSlot);
  showDuesPage(duesSlot, 0);
  section.append(exportCard(properties));
}

// Rows a page of each list, as the user last chose.
let invoicePage = 200;
let duesPage = 200;

// One page of the month's invoices into `slot`, with Save all, Previous and Next.
async function showInvoicePage(slot, { propertyId, month, offset, invoiceActions }) {
  let page;
  try {
    page = await call("invoice_page", { propertyId, month, offset, limit: invoicePage });
  } catch (e) {
    slot.replaceChildren(el("p", { class: "form-error", role: "alert", text: e.message }));
    return;
  }
  if (page.count === 0) {
    slot.replaceChildren(el("p", { class: "lead", text: "No invoices for this month yet. Run billing above." }));
    return;
  }
  const turn = (next, limit) => {
    invoicePage = limit;
    showInvoicePage(slot, { propertyId, month, offset: next, invoiceActions });
  };
  slot.replaceChildren(
    monthPrinting(propertyId, month, page.count),
    pager({
      name: "invoices",
      label: "Invoice pages",
      noun: "invoices",
      page: { offset: page.offset, limit: page.limit, shown: page.invoices.length, count: page.count },
      turn,
      extra: `, ${rupees(page.issued_total_paise)} issued`,
    }),
    table(
      ["Number", "Tenant", "Date", "Due", "Total", "Status", "PDF"],
      page.invoices.map((i) => [i.number, i.tenant_name, date(i.invoice_date), date(i.due_on), rupees(i.total_paise), i.status, invoiceActions(i)]),
    ),
  );
}

// One page of the dues list into `slot`, with Previous and Next.
async function showDuesPage(slot, offset) {
  let dues;
  try {
    dues = await call("dues_report", { offset, limit: duesPage });
  } catch (e) {
    slot.replaceChildren(el("h2", { text: "Dues" }), el("p", { class: "form-error", role: "alert", text: e.message }));
    return;
  }
  slot.replaceChildren(
    ...duesList(dues, (next, limit) => {
      duesPage = limit;
      showDuesPage(slot, next);
    }),
  );
}

function duesList(dues, turn) {
  const out = [];
  out.push(el("h2", { text: `Dues on ${date(dues.as_of)}` }));
  const count = dues.owing_count;
  if (count === 0) {
    out.push(el("p", { class: "lead", text: "Nobody owes anything." }));
  } else {
    out.push(
      pager({
        name: "dues",
        label: "Dues pages",
        noun: "tenants owing",
        page: { offset: dues.offset, limit: dues.limit, shown: dues.tenants.length, count },
        turn,
      }),
    );
    out.push(
      table(
        ["Tenant", "Mobile", "Outstanding", "0–30 days", "31–60", "61–90", "Over 90", "Credit"],
        dues.tenants.map((t) => [
          t.full_name,
          mobile(t.mobile),
          rupees(t.outstanding_paise),
          rupees(t.ageing.days_0_30_paise),
          rupees(t.ageing.days_31_60_paise),
          rupees(t.ageing.days_61_90_paise),
          rupees(t.ageing.over_90_paise),
          rupees(t.credit_paise),
        ]),
      ),
    );
  }
  out.push(el("p", { class: "hint", "data-testid": "dues-total", text: `Total outstanding: ${rupees(dues.total.total_paise)}` }));
  if (dues.credit_count > 0) {
    out.push(el("p", { class: "hint", text: `${dues.credit_count.toLocaleString("en-IN")} tenants hold ${rupees(dues.credit_paise)} in credit.` }));
  }
  return out;
}
