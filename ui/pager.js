// Previous / Next and rows-per-page for a list the desk reads a page at a
// time: "Showing 201–400 of 12,600 tenants owing".
import { el } from "./forms.js";

export const PAGE_SIZES = [25, 50, 100, 200, 500];

// `page`: { offset, limit, shown, count }; `noun`: "invoices"; `name`:
// names the nav, its range (data-testid `${name}-range`) and its size
// choice; `turn(offset, limit)` shows another page (or the same place in
// pages of another size). `extra` follows the range, e.g. ", ₹1,000.00 issued".
export function pager({ name, label, noun, page, turn, extra = "" }) {
  const first = page.shown === 0 ? page.offset : page.offset + 1;
  const last = page.offset + page.shown;
  const range = el("span", {
    "data-testid": `${name}-range`,
    role: "status",
    text: `Showing ${first.toLocaleString("en-IN")}–${last.toLocaleString("en-IN")} of ${page.count.toLocaleString("en-IN")} ${noun}${extra}`,
  });
  const previous = el("button", { type: "button", text: "Previous", "aria-label": `Previous ${page.limit} ${noun}`, disabled: page.offset === 0 });
  previous.addEventListener("click", () => turn(Math.max(0, page.offset - page.limit), page.limit));
  const next = el("button", { type: "button", text: "Next", "aria-label": `Next ${page.limit} ${noun}`, disabled: last >= page.count });
  next.addEventListener("click", () => turn(page.offset + page.limit, page.limit));
  const id = `${name}-page-size`;
  const size = el(
    "select",
    { id },
    ...PAGE_SIZES.map((n) => el("option", { value: String(n), text: String(n), selected: n === page.limit })),
  );
  // The new page starts at the page holding the first row shown now.
  size.addEventListener("change", () => {
    const limit = Number(size.value);
    turn(Math.floor(page.offset / limit) * limit, limit);
  });
  return el("nav", { class: "pager", "aria-label": label }, range, el("label", { for: id, class: "pager-size", text: `${noun[0].toUpperCase()}${noun.slice(1)} per page` }), size, previous, next);
}
