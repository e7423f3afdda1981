// A labelled tenant chooser: type any part of a name, mobile, room or bed,
// pick from the matches. Its input is named `tenant` so a form's error for
// field "tenant" shows under it.
import { call } from "./ipc.js";
import { el } from "./forms.js";
import { mobile } from "./format.js";

let pickers = 0;

export function tenantPicker(labelText = "Tenant") {
  const id = `tenant-picker-${++pickers}`;
  let chosen = null;
  const results = el("ul", { class: "picker", role: "listbox", "aria-label": "Matching tenants" });
  const chosenText = el("p", { class: "hint", id: `${id}-chosen`, text: "No tenant chosen yet" });
  const search = el("input", {
    id,
    name: "tenant",
    type: "search",
    autocomplete: "off",
    placeholder: "Name, mobile, room…",
    "aria-describedby": `${id}-chosen ${id}-error`,
  });
  let ticket = 0;
  search.addEventListener("input", async () => {
    const mine = ++ticket;
    const found = await call("search_tenants", { query: search.value, limit: 8 });
    if (mine !== ticket) return;
    results.replaceChildren(
      ...found.map((t) => {
        const option = el("li", {
          role: "option",
          tabindex: "0",
          text: `${t.full_name} · ${mobile(t.mobile)}${t.bed ? ` · ${t.bed}` : ""}`,
        });
        const pick = () => {
          chosen = t;
          chosenText.textContent = `Chosen: ${t.full_name}`;
          for (const li of results.children) li.removeAttribute("aria-selected");
          option.setAttribute("aria-selected", "true");
        };
        option.addEventListener("click", pick);
        option.addEventListener("keydown", (e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            pick();
          }
        });
        return option;
      }),
    );
  });
  const element = el(
    "div",
    { class: "field wide" },
    el("label", { for: id, text: labelText }),
    search,
    chosenText,
    el("p", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true }),
    results,
  );
  return {
    element,
    // The chosen tenant, or a field error for the form to show.
    chosen() {
      if (!chosen) throw { kind: "invalid", field: "tenant", message: "Choose a tenant: type part of a name or mobile and pick one" };
      return chosen;
    },
  };
}
