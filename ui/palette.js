// Ctrl+K (or Cmd+K): a palette to jump to a screen or find a tenant by any
// part of their name, mobile, room or bed. Arrow keys move, Enter picks,
// Esc closes.
import { call } from "./ipc.js";
import { el, openDialog } from "./forms.js";
import { mobile } from "./format.js";

export function installPalette(go) {
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
      event.preventDefault();
      if (!document.getElementById("nav").hidden && !document.querySelector("dialog.palette")) open(go);
    }
  });
}

const SCREENS = [
  ["Go to Dashboard", "dashboard"],
  ["Go to Occupancy", "occupancy"],
  ["Go to Properties", "properties"],
  ["Go to Tenants", "tenants"],
  ["Go to Billing", "billing"],
  ["Go to Reports", "reports"],
  ["Go to Settings", "settings"],
];

function open(go) {
  const input = el("input", {
    id: "palette-query",
    type: "search",
    autocomplete: "off",
    placeholder: "Screen, tenant name, mobile, room or bed",
    role: "combobox",
    "aria-controls": "palette-results",
    "aria-expanded": "true",
  });
  const list = el("ul", { id: "palette-results", class: "picker palette-results", role: "listbox", "aria-label": "Results" });
  const dialog = openDialog(
    "Search or jump to",
    el("div", { class: "field wide" }, el("label", { for: "palette-query", text: "Search or jump to" }), input),
    list,
  );
  dialog.classList.add("palette");
  let items = [];
  let active = 0;
  const pick = (item) => {
    dialog.close();
    item.run();
  };
  const render = () => {
    list.replaceChildren(
      ...items.map((item, i) => {
        const li = el("li", { role: "option", id: `palette-item-${i}`, "aria-selected": i === active ? "true" : null, text: item.label });
        li.addEventListener("click", () => pick(item));
        return li;
      }),
    );
    input.setAttribute("aria-activedescendant", items.length ? `palette-item-${active}` : "");
  };
  let ticket = 0;
  const refresh = async () => {
    const mine = ++ticket;
    const q = input.value.trim().toLowerCase();
    const screens = SCREENS.filter(([label]) => !q || label.toLowerCase().includes(q)).map(([label, screen]) => ({
      label,
      run: () => go(screen),
    }));
    let tenants = [];
    if (q.length > 0) {
      const found = await call("search_tenants", { query: input.value, limit: 8 });
      tenants = found.map((t) => ({
        label: `${t.full_name} · ${mobile(t.mobile)}${t.bed ? ` · ${t.bed}` : ""}`,
        run: () => go("tenants", t.full_name),
      }));
    }
    if (mine !== ticket) return;
    items = [...screens, ...tenants];
    active = 0;
    render();
  };
  input.addEventListener("input", refresh);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      active = (active + 1) % items.length;
      render();
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      active = (active - 1 + items.length) % items.length;
      render();
    } else if (event.key === "Enter" && items[active]) {
      event.preventDefault();
      pick(items[active]);
    }
  });
  refresh();
  input.focus();
}
