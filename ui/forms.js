// Form plumbing shared by every screen: labelled fields built from a spec,
// errors shown next to their field, announced to screen readers, and
// cleared when the user edits.

let formCount = 0;

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// fields: [{ name, label, type? (select, checkbox, textarea, password), autocomplete?, options?: [[value, label]], hint?, value?, placeholder? }]
export function buildForm({ title, fields, submitLabel = "Save", onSubmit, prepend }) {
  const formId = `form${++formCount}`;
  const form = el("form", { novalidate: true, class: "entity-form" });
  if (title) form.append(el("h2", { text: title }));
  form.append(el("p", { class: "form-error", role: "alert", hidden: true }));
  const grid = el("div", { class: "field-grid" });
  for (const field of fields) {
    const id = `${formId}-${field.name}`;
    let input;
    if (field.type === "select") {
      input = el("select", { id, name: field.name });
      for (const [value, label] of field.options) {
        input.append(el("option", { value, text: label }));
      }
    } else if (field.type === "checkbox") {
      input = el("input", { id, name: field.name, type: "checkbox" });
    } else if (field.type === "textarea") {
      input = el("textarea", { id, name: field.name, rows: 2 });
    } else {
      input = el("input", {
        id,
        name: field.name,
        type: field.type === "password" ? "password" : "text",
        inputmode: field.inputmode,
        placeholder: field.placeholder,
        autocomplete: field.autocomplete || "off",
      });
    }
    input.setAttribute("aria-describedby", `${id}-hint ${id}-error`);
    if (field.value !== undefined && field.value !== null) {
      if (field.type === "checkbox") input.checked = Boolean(field.value);
      else input.value = field.value;
    }
    input.addEventListener("input", () => clearErrors(form));
    const wrapper = el(
      "div",
      { class: `field${field.wide ? " wide" : ""}${field.type === "checkbox" ? " checkbox" : ""}` },
      el("label", { for: id, text: field.label }),
      input,
      el("p", { class: "hint", id: `${id}-hint`, text: field.hint || "" }),
      el("p", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true }),
    );
    grid.append(wrapper);
  }
  if (prepend) form.append(prepend);
  form.append(grid);
  const submit = el("button", { type: "submit", class: "primary", text: submitLabel });
  form.append(el("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      await onSubmit(values(form), form);
    } catch (error) {
      showError(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The form's values by name; empty optional text becomes null.
export function values(form) {
  const out = {};
  for (const input of form.querySelectorAll("input, select, textarea")) {
    if (!input.name) continue;
    if (input.type === "checkbox") out[input.name] = input.checked;
    else out[input.name] = input.value.trim() === "" ? null : input.value;
  }
  return out;
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
  }
  const general = form.querySelector(".form-error");
  if (general) {
    general.textContent = "";
    general.hidden = true;
  }
}

// Shows a CommandError on the form: next to the input named by `field`, or at
// the top of the form when it names no field of this form.
export function showError(form, error) {
  const input = error && error.field ? form.querySelector(`[name="${CSS.escape(error.field)}"]`) : null;
  const slot = input ? form.querySelector(`#${CSS.escape(input.id)}-error`) : null;
  if (input && slot) {
    slot.textContent = error.message;
    slot.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  const general = form.querySelector(".form-error");
  general.textContent = (error && error.message) || String(error) || "Something went wrong.";
  general.hidden = false;
}

export function toast(message) {
  const box = document.getElementById("toasts");
  const item = el("div", { class: "toast", text: message });
  box.append(item);
  // At most three at a time: a busy desk should still see its form.
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => item.remove(), 4000);
}

// A modal dialog; Esc closes it (native <dialog> behaviour).
export function openDialog(title, ...content) {
  const dialog = el("dialog", { class: "dialog", "aria-label": title });
  const close = el("button", { type: "button", class: "close", "aria-label": "Close", text: "×" });
  close.addEventListener("click", () => dialog.close());
  dialog.append(el("header", {}, el("h2", { text: title }), close), ...content);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

// The form's values with blanks as empty strings, for commands whose
// fields are plain text the domain checks.
export function textValues(v) {
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? "" : x]));
}
