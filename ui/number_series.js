// Number series: a property's invoice series and the desk's receipt
// series (prefix, financial year, next number), and this desk's prefix
// for the numbers still to come. Issued numbers never change.
import { call } from "./ipc.js";
import { buildForm, el, toast } from "./forms.js";

function seriesTable(series, label) {
  return el(
    "table",
    { class: "table", "aria-label": label },
    el("thead", {}, el("tr", {}, ...["Desk", "Prefix", "Issued", "Next number"].map((h) => el("th", { scope: "col", text: h })))),
    el(
      "tbody",
      {},
      ...series.map((s) =>
        el(
          "tr",
          {},
          el("td", { class: "nowrap", text: s.this_desk ? "This desk" : `Desk …${s.desk_id.slice(-6)}` }),
          el("td", { class: "nowrap", text: s.prefix }),
          el("td", { text: s.last_sequence === 0 ? "None yet" : `${s.last_sequence.toLocaleString("en-IN")} in ${s.financial_year}` }),
          el("td", { class: "nowrap", text: s.next_number || "—" }),
        ),
      ),
    ),
  );
}

// `load` reads the series; `save(prefix)` sets this desk's prefix.
function seriesCard({ title, what, load, save }) {
  const card = el("div", { class: "card-plain number-series" });
  async function show() {
    let series;
    try {
      series = await load();
    } catch (e) {
      card.replaceChildren(el("h2", { text: title }), el("p", { class: "form-error", role: "alert", text: e.message }));
      return;
    }
    const mine = series.find((s) => s.this_desk);
    const status = mine
      ? mine.started
        ? `This desk numbers ${what} ${mine.prefix}/…; the next is ${mine.next_number || "not possible today"}.`
        : `This desk has issued no ${what} yet; they will start at ${mine.next_number}.`
      : `This desk has issued no ${what} yet; set the prefix they will start with.`;
    const form = buildForm({
      submitLabel: "Save prefix",
      fields: [
        {
          name: "prefix",
          label: "Prefix for this desk",
          value: mine ? mine.prefix : "",
          hint: `2–6 letters or digits, unique in the business. ${what[0].toUpperCase()}${what.slice(1)} already issued keep their numbers; new ones carry on the count.`,
        },
      ],
      onSubmit: async ({ prefix }) => {
        const saved = await save(prefix || "");
        toast(`New ${what} will be numbered ${saved.next_number || `${saved.prefix}/…`}`);
        await show();
      },
    });
    card.replaceChildren(el("h2", { text: title }), el("p", { class: "hint", text: status }), seriesTable(series, title), form);
  }
  show();
  return card;
}

export function invoiceSeriesCard(propertyId) {
  return seriesCard({
    title: "Invoice series",
    what: "invoices",
    load: () => call("invoice_series", { propertyId }),
    save: (prefix) => call("set_invoice_series_prefix", { propertyId, prefix }),
  });
}

export function receiptSeriesCard() {
  return seriesCard({
    title: "Receipt series",
    what: "receipts",
    load: () => call("receipt_series"),
    save: (prefix) => call("set_receipt_series_prefix", { prefix }),
  });
}
