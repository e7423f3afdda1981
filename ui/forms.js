// Form plumbing shared by every screen: errors shown next to their field,
// announced to screen readers, and cleared when the user edits.

export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.textContent = "";
    el.hidden = true;
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
  const input = error.field ? form.querySelector(`[name="${CSS.escape(error.field)}"]`) : null;
  const slot = input ? form.querySelector(`#${CSS.escape(input.id)}-error`) : null;
  if (input && slot) {
    slot.textContent = error.message;
    slot.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  const general = form.querySelector(".form-error");
  general.textContent = error.message || "Something went wrong.";
  general.hidden = false;
}

export function toast(message) {
  const box = document.getElementById("toasts");
  const item = document.createElement("div");
  item.className = "toast";
  item.textContent = message;
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}
