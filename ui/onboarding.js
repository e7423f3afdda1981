// Onboarding in one flow: profile and KYC → bed and contract → deposit →
// first invoice → documents, each step saved as it is completed, so a
// person interrupted half-way loses nothing already entered.
import { call } from "./ipc.js";
import { buildForm, el, openDialog, textValues, toast } from "./forms.js";
import { date, rupees, today } from "./format.js";
import { documentsPanel } from "./documents.js";

const STEPS = 5;

export function startOnboarding(tenantForm, finished) {
  const step = el("p", { class: "wizard-step", role: "status" });
  const body = el("div", { class: "wizard" });
  const dialog = openDialog("Onboard a tenant", step, body);
  let closeDocuments = null;
  dialog.addEventListener("close", () => closeDocuments && closeDocuments());
  const show = (n, title, ...content) => {
    step.textContent = `Step ${n} of ${STEPS} · ${title}`;
    body.replaceChildren(...content);
    const first = body.querySelector("input, select, button");
    if (first) first.focus();
  };
  const skip = (label, next) => {
    const button = el("button", { type: "button", text: label });
    button.addEventListener("click", next);
    return el("div", { class: "actions" }, button);
  };

  show(1, "Profile and KYC", tenantForm(null, (tenant) => propertyStep(tenant)));

  async function propertyStep(tenant) {
    const [properties, occupancy] = await Promise.all([call("list_properties"), call("occupancy", { on: today() })]);
    const vacant = new Map(occupancy.properties.map((p) => [p.property_id, p.counts.vacant]));
    // Properties with a vacant bed first, each saying how many.
    const sorted = [...properties].sort((a, b) => (vacant.get(b.id) > 0) - (vacant.get(a.id) > 0));
    show(
      2,
      "Bed and contract",
      buildForm({
        submitLabel: "Show vacant beds",
        fields: [
          {
            name: "property_id",
            label: "Property",
            type: "select",
            options: sorted.map((p) => [p.id, `${p.name} · ${vacant.get(p.id) ? `${vacant.get(p.id)} vacant` : "full"}`]),
          },
        ],
        onSubmit: async (v) => bedStep(tenant, properties.find((p) => p.id === v.property_id)),
      }),
    );
  }

  async function bedStep(tenant, property) {
    const board = await call("bed_board", { propertyId: property.id, on: today() });
    const vacant = board.flatMap((r) => r.beds.filter((b) => b.status === "vacant").map((b) => ({ bed: b, room: r })));
    if (vacant.length === 0) {
      show(2, "Bed and contract", el("p", { class: "form-error", role: "alert", text: `${property.name} has no vacant bed today.` }), skip("Choose another property", () => propertyStep(tenant)));
      return;
    }
    const rent = String(vacant[0].room.rent_per_bed_paise / 100);
    show(
      2,
      "Bed and contract",
      buildForm({
        submitLabel: "Allocate and save contract",
        fields: [
          { name: "bed_id", label: "Bed", type: "select", options: vacant.map(({ bed, room }) => [bed.bed_id, `Room ${room.number}, bed ${bed.label} · ${rupees(room.rent_per_bed_paise)}`]) },
          { name: "move_in", label: "Move-in date", value: today(), placeholder: "DD/MM/YYYY" },
          { name: "monthly_rent", label: "Monthly rent (₹)", value: rent, inputmode: "decimal" },
          { name: "security_deposit", label: "Security deposit (₹)", value: String(Number(rent) * 2), inputmode: "decimal" },
          { name: "billing_day", label: "Billing day", value: "1", inputmode: "numeric", hint: "1 to 28" },
          { name: "notice_days", label: "Notice period (days)", value: "30", inputmode: "numeric" },
          { name: "lock_in_months", label: "Lock-in (months)", value: "0", inputmode: "numeric" },
        ],
        onSubmit: async (raw) => {
          const v = textValues(raw);
          const allocation = await call("allocate", { tenantId: tenant.id, bedId: v.bed_id, input: { move_in: v.move_in, move_out: null } });
          const contract = await call("save_contract", {
            allocationId: allocation.id,
            input: {
              monthly_rent: v.monthly_rent,
              security_deposit: v.security_deposit,
              billing_day: v.billing_day,
              lock_in_months: v.lock_in_months,
              notice_days: v.notice_days,
              yearly_escalation_percent: "0",
              start_date: v.move_in,
              end_date: null,
              status: "active",
            },
          });
          toast(`${tenant.full_name} allocated from ${date(allocation.move_in)}`);
          depositStep(tenant, property, allocation, contract);
        },
      }),
    );
  }

  function depositStep(tenant, property, allocation, contract) {
    const next = () => invoiceStep(tenant, property, allocation, contract);
    if (!contract.deposit_paise) {
      next();
      return;
    }
    show(
      3,
      "Security deposit",
      buildForm({
        submitLabel: "Record deposit",
        fields: [
          { name: "amount", label: "Deposit received (₹)", value: String(contract.deposit_paise / 100), inputmode: "decimal" },
          { name: "mode", label: "Mode", type: "select", value: "upi", options: [["upi", "UPI"], ["cash", "Cash"], ["bank_transfer", "Bank transfer"], ["cheque", "Cheque"]] },
          { name: "reference", label: "UTR / reference", hint: "UPI: the 12-digit UTR" },
          { name: "paid_on", label: "Paid on", value: today(), placeholder: "DD/MM/YYYY" },
          { name: "cheque_number", label: "Cheque number" },
          { name: "cheque_bank", label: "Cheque bank" },
        ],
        onSubmit: async (raw) => {
          const v = textValues(raw);
          const paid = await call("record_payment", { tenantId: tenant.id, input: { ...v, purpose: "security_deposit" } });
          toast(`Deposit ${rupees(paid.payment.amount_paise)} received: receipt ${paid.payment.receipt_number}`);
          next();
        },
      }),
      skip("Not received yet", next),
    );
  }

  function invoiceStep(tenant, property, allocation, contract) {
    const [y, m] = allocation.move_in.split("-");
    const month = `${m}/${y}`;
    const bill = el("button", { type: "button", class: "primary", text: "Bill the first month now" });
    bill.addEventListener("click", async () => {
      try {
        const report = await call("bill_contract", { contractId: contract.id, month, invoiceDate: today() });
        toast(report.summary);
        documentsStep(tenant);
      } catch (e) {
        toast(e.message);
      }
    });
    show(
      4,
      "First invoice",
      el("p", { text: `Bill ${month} for ${tenant.full_name} now: the rent from ${date(allocation.move_in)} goes on an invoice, prorated by days, with the contract's charges. Nobody else is billed.` }),
      el("div", { class: "actions" }, bill),
      skip("Bill with the month's run", () => documentsStep(tenant)),
    );
  }

  function documentsStep(tenant) {
    const documents = documentsPanel(tenant.id);
    closeDocuments = documents.close;
    const finish = el("button", { type: "button", class: "primary", text: "Finish onboarding" });
    finish.addEventListener("click", () => {
      dialog.close();
      finished(tenant);
    });
    show(5, "Documents", documents.panel, el("div", { class: "actions" }, finish));
  }
}
