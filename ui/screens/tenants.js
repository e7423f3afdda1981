// Tenants: search as you type, add and edit, with KYC shown masked.
import { call } from "../ipc.js";
import { buildForm, el, openDialog, toast } from "../forms.js";
import { date, mobile } from "../format.js";
import { startOnboarding } from "../onboarding.js";

export async function renderTenants(root, initialQuery = "") {
  const search = el("input", { id: "tenant-search", type: "search", autocomplete: "off", placeholder: "Any part of a name, mobile, room or bed" });
  const add = el("button", { type: "button", text: "Add tenant" });
  const onboard = el("button", { type: "button", class: "primary", text: "Onboard a tenant" });
  onboard.addEventListener("click", () =>
    startOnboarding(tenantForm, (tenant) => import("../app.js").then((app) => app.go("tenant", tenant.id, {}, tenantForm))),
  );
  const table = el("table", { class: "table" });
  const head = el(
    "thead",
    {},
    el("tr", {}, ...["Name", "Mobile", "Property", "Room", "Bed"].map((h) => el("th", { scope: "col", text: h }))),
  );
  const body = el("tbody");
  table.append(head, body);
  const count = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  let latest = 0;
  async function refresh() {
    const ticket = ++latest;
    const found = await call("search_tenants", { query: search.value, limit: 50 });
    if (ticket !== latest) return; // a newer keystroke has answered already
    body.replaceChildren(
      ...found.map((t) => {
        const name = el("button", { type: "button", class: "link", text: t.full_name });
        name.addEventListener("click", () => import("../app.js").then((app) => app.go("tenant", t.id, t, tenantForm)));
        return el(
          "tr",
          {},
          el("td", {}, name),
          el("td", { text: mobile(t.mobile) }),
          el("td", { text: t.property || "—" }),
          el("td", { text: t.room || "—" }),
          el("td", { text: t.bed || "—" }),
        );
      }),
    );
    count.textContent = found.length === 0 ? "No tenants match." : `${found.length} shown${found.length === 50 ? " (refine the search to see others)" : ""}`;
  }
  search.value = initialQuery;
  search.addEventListener("input", refresh);
  add.addEventListener("click", () => {
    const dialog = openDialog("Add tenant", tenantForm(null, (saved) => {
      dialog.close();
      search.value = saved.full_name;
      refresh();
    }));
  });
  root.append(
    el(
      "section",
      { class: "panel" },
      el("div", { class: "panel-head" }, el("h1", { text: "Tenants" }), el("div", { class: "actions" }, add, onboard)),
      el("div", { class: "field wide" }, el("label", { for: "tenant-search", text: "Search tenants" }), search),
      count,
      table,
    ),
  );
  await refresh();
  search.focus();
}

function tenantForm(tenant, after) {
  const t = tenant || {};
  return buildForm({
    submitLabel: "Save tenant",
    fields: [
      { name: "full_name", label: "Full name", value: t.full_name, wide: true },
      { name: "mobile", label: "Mobile", value: mobile(t.mobile), inputmode: "tel", hint: "10 digits, e.g. 98765 43210" },
      { name: "email", label: "Email", value: t.email },
      { name: "date_of_birth", label: "Date of birth", value: date(t.date_of_birth), placeholder: "DD/MM/YYYY" },
      {
        name: "occupation",
        label: "Occupation",
        type: "select",
        value: t.occupation || "",
        options: [["", "—"], ["student", "Student"], ["salaried", "Salaried"], ["self_employed", "Self-employed"], ["other", "Other"]],
      },
      { name: "college_or_employer", label: "College or employer", value: t.college_or_employer },
      { name: "permanent_address", label: "Permanent address", type: "textarea", value: t.permanent_address, wide: true },
      { name: "emergency_contact_name", label: "Emergency contact name", value: t.emergency_name },
      { name: "emergency_contact_phone", label: "Emergency contact phone", value: mobile(t.emergency_phone), inputmode: "tel" },
      {
        name: "kyc_document_type",
        label: "KYC document",
        type: "select",
        value: t.kyc_document || "",
        options: [["", "—"], ["aadhaar", "Aadhaar"], ["pan", "PAN"], ["passport", "Passport"], ["voter_id", "Voter ID"], ["driving_licence", "Driving licence"]],
      },
      {
        name: "kyc_document_number",
        label: "KYC document number",
        hint: t.kyc_masked ? `On file: ${t.kyc_masked}. Type the number again to change it.` : "Aadhaar is kept only as XXXX XXXX 1234",
      },
      {
        name: "police_verification_status",
        label: "Police verification",
        type: "select",
        value: t.police_verification || "pending",
        options: [["pending", "Pending"], ["submitted", "Submitted"], ["verified", "Verified"], ["rejected", "Rejected"]],
      },
      { name: "police_verification_date", label: "Police verification date", value: date(t.police_verified_on), placeholder: "DD/MM/YYYY" },
    ],
    onSubmit: async (input) => {
      if (tenant && tenant.kyc_document && !input.kyc_document_number && input.kyc_document_type === tenant.kyc_document) {
        // Not retyped: keep the document on file as it is.
        throw {
          kind: "invalid",
          field: "kyc_document_number",
          message: "Type the KYC number again to save this tenant (it is stored masked and cannot be shown)",
        };
      }
      const saved = await call("save_tenant", { id: tenant ? tenant.id : null, input: { ...input, full_name: input.full_name || "", mobile: input.mobile || "" } });
      toast(`Saved ${saved.full_name}`);
      after(saved);
    },
  });
}
