import { call } from "./ipc.js";
import { buildForm, el, toast } from "./forms.js";
import { renderDashboard } from "./screens/dashboard.js";
import { renderOccupancy } from "./screens/occupancy.js";
import { renderProperties } from "./screens/properties.js";
import { renderTenants } from "./screens/tenants.js";
import { renderTenant } from "./screens/tenant.js";
import { renderBilling } from "./screens/billing.js";
import { renderReports } from "./screens/reports.js";
import { installPalette } from "./palette.js";
import { installSyncIndicator, syncCard } from "./sync.js";
import { receiptSeriesCard } from "./number_series.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");

const screens = {
  dashboard: renderDashboard,
  occupancy: renderOccupancy,
  properties: renderProperties,
  tenants: renderTenants,
  tenant: renderTenant,
  billing: renderBilling,
  reports: renderReports,
  settings: renderSettings,
};

function showBusiness(org) {
  document.getElementById("business-name").textContent = org ? org.name : "";
  document.title = org ? `${org.name} — MultiPMS` : "MultiPMS";
}

// What the screen on show asks to be done when it goes (stop listening
// for dropped files, say).
let leaveScreen = null;

export async function go(screen, ...args) {
  if (leaveScreen) {
    leaveScreen();
    leaveScreen = null;
  }
  for (const button of nav.querySelectorAll("button")) {
    if (button.dataset.screen === screen) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  main.replaceChildren();
  try {
    const leave = await screens[screen](main, ...args);
    if (typeof leave === "function") leaveScreen = leave;
  } catch (error) {
    main.append(el("p", { class: "form-error", role: "alert", text: error.message || String(error) }));
  }
  main.focus();
}

function renderFatal(message) {
  main.replaceChildren(
    el(
      "section",
      { class: "card fatal", role: "alert" },
      el("h1", { text: "MultiPMS cannot open its data" }),
      el("p", { text: message }),
    ),
  );
}

function businessForm(org, after) {
  return buildForm({
    fields: [
      {
        name: "name",
        label: "Business name",
        value: org ? org.name : "",
        hint: "As it should appear on invoices and receipts, e.g. “Sai Comforts PG”.",
        wide: true,
      },
    ],
    onSubmit: async ({ name }) => {
      const saved = await call("save_organisation_name", { name: name || "" });
      showBusiness(saved);
      toast(`Saved “${saved.name}”`);
      after(saved);
    },
  });
}

// After signing in from the welcome screen, the organisation arrives with
// the first pull; the desk opens on it then.
async function waitForOrganisation(note) {
  for (;;) {
    const org = await call("get_organisation");
    if (org) {
      showBusiness(org);
      nav.hidden = false;
      await go("dashboard");
      return;
    }
    note.textContent = "Receiving your organisation's data…";
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function renderWelcome() {
  nav.hidden = true;
  const form = businessForm(null, () => {
    nav.hidden = false;
    go("properties");
  });
  const note = el("p", { class: "hint", role: "status" });
  const join = await syncCard(() => waitForOrganisation(note));
  main.replaceChildren(
    el(
      "section",
      { class: "card setup" },
      el("h1", { text: "Welcome to MultiPMS" }),
      el("p", {
        class: "lead",
        text: "Run your PG, hostel or rental building from this desk. Start by naming your business.",
      }),
      form,
      el("h2", { text: "Or join your organisation" }),
      el("p", { text: "If your business already runs MultiPMS on a server, sign in and this desk receives its data." }),
      join,
      note,
    ),
  );
  form.querySelector("input").focus();
}

// The logo printed at the top of every invoice: a picture chosen through
// the open dialog, shown here as it will print.
function logoSetting(current) {
  const preview = el("img", { class: "logo-preview", alt: "Invoice logo" });
  const none = el("p", { class: "hint", text: "No logo: invoices show the business name only." });
  const choose = el("button", { type: "button", text: "Choose logo…" });
  const remove = el("button", { type: "button", text: "Remove logo" });
  const error = el("p", { class: "field-error", role: "alert", id: "logo-error", hidden: true });
  const show = (url) => {
    preview.hidden = !url;
    if (url) preview.src = url;
    none.hidden = Boolean(url);
    remove.hidden = !url;
  };
  choose.addEventListener("click", async () => {
    error.hidden = true;
    try {
      const url = await call("choose_logo");
      if (url) {
        show(url);
        toast("Logo saved; invoices will print it");
      }
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  });
  remove.addEventListener("click", async () => {
    try {
      await call("remove_logo");
      show(null);
      toast("Logo removed");
    } catch (e) {
      toast(e.message);
    }
  });
  show(current);
  return el(
    "div",
    { class: "logo-setting" },
    el("h2", { text: "Invoice logo" }),
    preview,
    none,
    el("div", { class: "actions" }, choose, remove),
    error,
  );
}

async function renderSettings(root, focus) {
  const org = await call("get_organisation");
  const info = await call("app_info");
  const sync = await syncCard(() => {});
  root.append(
    el(
      "section",
      { class: "card" },
      el("h1", { text: "Settings" }),
      el("h2", { text: "Business details" }),
      businessForm(org, () => go("settings")),
      logoSetting(await call("logo_image")),
      el("h2", { text: "This desk" }),
      buildForm({
        submitLabel: "Save name",
        fields: [
          {
            name: "operator_name",
            label: "Person using this desk",
            value: info.operator === "front desk" ? "" : info.operator,
            hint: "The audit log records this name for every change made here.",
          },
        ],
        onSubmit: async ({ operator_name: name }) => {
          const saved = await call("set_desk_operator", { name: name || "" });
          toast(`Changes made here are now recorded as ${saved}'s`);
        },
      }),
      el(
        "dl",
        { class: "facts" },
        el("dt", { text: "Data folder" }),
        el("dd", { text: info.data_dir || "—" }),
        el("dt", { text: "Desk ID" }),
        el("dd", { text: info.desk_id || "—" }),
        el("dt", { text: "Version" }),
        el("dd", { text: info.version }),
      ),
      el("p", { class: "hint", text: "Each property's invoice series is under Properties → Edit property." }),
      receiptSeriesCard(),
      sync,
    ),
  );
  if (focus === "sync") sync.scrollIntoView();
}

async function start() {
  installPalette(go);
  installSyncIndicator(go);
  nav.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-screen]");
    if (button) go(button.dataset.screen);
  });
  try {
    const info = await call("app_info");
    document.getElementById("version").textContent = `v${info.version}`;
    if (info.data_dir) document.getElementById("data-folder").textContent = `Data: ${info.data_dir}`;
    const org = await call("get_organisation");
    showBusiness(org);
    if (!org) {
      await renderWelcome();
      return;
    }
    nav.hidden = false;
    await go("dashboard");
    // Ready: the first screen shows figures. The harness reads the time.
    const startup = await call("startup_ready");
    document.body.dataset.startupMs = String(startup.ready_ms);
    document.body.dataset.firstCallMs = String(startup.first_call_ms);
    document.body.dataset.storeOpenMs = String(startup.store_open_ms ?? "");
  } catch (error) {
    renderFatal(error.message || String(error));
  }
}

start();
