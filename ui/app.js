import { call } from "./ipc.js";
import { clearErrors, showError, toast } from "./forms.js";

const main = document.getElementById("main");


function showBusiness(org) {
  document.getElementById("business-name").textContent = org ? org.name : "";
  document.title = org ? `${org.name} — MultiPMS` : "MultiPMS";
}

function renderFatal(message) {
  main.replaceChildren();
  const box = document.createElement("section");
  box.className = "card fatal";
  box.setAttribute("role", "alert");
  const h = document.createElement("h1");
  h.textContent = "MultiPMS cannot open its data";
  const p = document.createElement("p");
  p.textContent = message;
  box.append(h, p);
  main.append(box);
}

function renderBusinessForm(org) {
  main.replaceChildren();
  const section = document.createElement("section");
  section.className = "card setup";
  section.innerHTML = `
    <h1 id="setup-title"></h1>
    <p class="lead" id="setup-lead"></p>
    <form id="business-form" novalidate aria-labelledby="setup-title">
      <p class="form-error" role="alert" hidden></p>
      <div class="field">
        <label for="business-name-input">Business name</label>
        <input id="business-name-input" name="name" type="text" autocomplete="organization"
               maxlength="200" aria-describedby="business-name-input-hint business-name-input-error" />
        <p class="hint" id="business-name-input-hint">As it should appear on invoices and receipts, e.g. “Sai Comforts PG”.</p>
        <p class="field-error" id="business-name-input-error" role="alert" hidden></p>
      </div>
      <div class="actions">
        <button type="submit" class="primary">Save</button>
      </div>
    </form>`;
  section.querySelector("#setup-title").textContent = org ? "Business details" : "Welcome to MultiPMS";
  section.querySelector("#setup-lead").textContent = org
    ? "Change the name your tenants see on their papers."
    : "Run your PG, hostel or rental building from this desk. Start by naming your business.";
  main.append(section);
  const form = section.querySelector("form");
  const input = form.elements.name;
  input.value = org ? org.name : "";
  input.addEventListener("input", () => clearErrors(form));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const saved = await call("save_organisation_name", { name: input.value });
      showBusiness(saved);
      toast(`Saved “${saved.name}”`);
      renderHome(saved);
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
  input.focus();
}

function renderHome(org) {
  main.replaceChildren();
  const section = document.createElement("section");
  section.className = "card home";
  section.innerHTML = `
    <h1></h1>
    <p class="lead">Your desk is ready. Properties, rooms, tenants and billing arrive here next.</p>
    <div class="actions"><button type="button" id="rename">Rename business</button></div>`;
  section.querySelector("h1").textContent = org.name;
  section.querySelector("#rename").addEventListener("click", () => renderBusinessForm(org));
  main.append(section);
}

async function start() {
  try {
    const info = await call("app_info");
    document.getElementById("version").textContent = `v${info.version}`;
    if (info.data_dir) document.getElementById("data-folder").textContent = `Data: ${info.data_dir}`;
    const org = await call("get_organisation");
    showBusiness(org);
    if (org) renderHome(org);
    else renderBusinessForm(null);
  } catch (error) {
    renderFatal(error.message || String(error));
  }
}

start();
