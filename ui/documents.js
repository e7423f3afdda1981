// A tenant's documents: drop files on the window (the drop zone lights up
// while a file is over it) or pick them, see them with thumbnails, open,
// save a copy, remove. Files go only through the Rust commands, which
// check each one; the page never reads the disk.
import { call } from "./ipc.js";
import { el, toast } from "./forms.js";
import { date } from "./format.js";

const KINDS = [
  ["rental_agreement", "Rental agreement"],
  ["aadhaar", "Aadhaar"],
  ["pan", "PAN"],
  ["passport", "Passport"],
  ["photo", "Photo"],
  ["police_verification", "Police verification"],
  ["other", "Other"],
];

function size(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function onDragDrop(handler) {
  const api = window.__TAURI__ && window.__TAURI__.webview;
  if (!api || !api.getCurrentWebview) return Promise.resolve(() => {});
  return api.getCurrentWebview().onDragDropEvent(handler);
}

// The tenant's contracts (one per stay that has one), to file an agreement
// under.
async function contractOptions(tenantId) {
  const stays = await call("tenant_allocations", { tenantId });
  const options = [];
  for (const stay of stays) {
    const contract = await call("get_contract", { allocationId: stay.id });
    if (contract) options.push([contract.id, `Stay from ${date(stay.move_in)}${stay.move_out ? ` to ${date(stay.move_out)}` : ""}`]);
  }
  return options;
}

// Returns the panel and a function to call when it goes away.
export function documentsPanel(tenantId) {
  const kind = el("select", { id: `doc-kind-${tenantId}` }, ...KINDS.map(([value, text]) => el("option", { value, text })));
  const contract = el("select", { id: `doc-contract-${tenantId}` }, el("option", { value: "", text: "Not for a contract" }));
  contractOptions(tenantId)
    .then((options) => {
      contract.append(...options.map(([value, text]) => el("option", { value, text })));
      // An agreement belongs to the latest contract unless the user says otherwise.
      if (options.length && kind.value === "rental_agreement") contract.value = options[options.length - 1][0];
    })
    .catch(() => {});
  const contractId = () => contract.value || null;
  const pick = el("button", { type: "button", text: "Add files…" });
  const zone = el("div", { class: "drop-zone", "data-testid": "drop-zone" }, el("p", { text: "Drop PDF, JPEG, PNG or WebP files here (up to 20 MB each)" }));
  const problems = el("ul", { class: "form-error", role: "alert", hidden: true });
  const list = el("ul", { class: "documents", "aria-label": "Documents" });

  function report(result) {
    problems.replaceChildren(...result.refused.map((r) => el("li", { text: r.reason })));
    problems.hidden = result.refused.length === 0;
    if (result.added.length) toast(`Added ${result.added.length} document${result.added.length === 1 ? "" : "s"}`);
  }

  async function refresh() {
    const docs = await call("tenant_documents", { tenantId });
    list.replaceChildren(
      ...docs.map((d) => {
        const preview = d.thumbnail
          ? el("img", { src: d.thumbnail, alt: `Preview of ${d.original_name}`, class: "thumb" })
          : el("div", { class: "thumb icon", "aria-hidden": "true", text: d.file_type.toUpperCase() });
        const open = el("button", { type: "button", text: "Open", "aria-label": `Open ${d.original_name}` });
        open.addEventListener("click", () => call("open_document", { id: d.id }).catch((e) => toast(e.message)));
        const save = el("button", { type: "button", text: "Save copy", "aria-label": `Save a copy of ${d.original_name}` });
        save.addEventListener("click", async () => {
          try {
            const path = await call("save_document_copy", { id: d.id });
            if (path) toast(`Saved ${path}`);
          } catch (e) {
            toast(e.message);
          }
        });
        const remove = el("button", { type: "button", class: "danger", text: "Remove", "aria-label": `Remove ${d.original_name}` });
        remove.addEventListener("click", async () => {
          if (!window.confirm(`Remove ${d.original_name}?`)) return;
          await call("remove_document", { id: d.id });
          toast(`Removed ${d.original_name}`);
          await refresh();
        });
        return el(
          "li",
          { class: "document" },
          preview,
          el("div", {}, el("strong", { text: d.original_name }), el("p", { class: "hint", text: `${d.kind_label} · ${size(d.size_bytes)} · added ${date(d.added_at.slice(0, 10))}${d.contract_label ? ` · ${d.contract_label}` : ""}` })),
          el("div", { class: "actions" }, open, save, remove),
        );
      }),
    );
    if (docs.length === 0) list.append(el("li", { class: "hint", text: "No documents yet." }));
  }

  pick.addEventListener("click", async () => {
    try {
      report(await call("pick_documents", { tenantId, contractId: contractId(), kind: kind.value }));
      await refresh();
    } catch (e) {
      problems.replaceChildren(el("li", { text: e.message }));
      problems.hidden = false;
    }
  });

  const stop = onDragDrop(async (event) => {
    const type = event.payload.type;
    if (type === "enter" || type === "over") zone.classList.add("active");
    else if (type === "leave") zone.classList.remove("active");
    else if (type === "drop") {
      zone.classList.remove("active");
      if (!zone.isConnected || !event.payload.paths.length) return;
      try {
        report(await call("add_documents", { tenantId, contractId: contractId(), kind: kind.value, paths: event.payload.paths }));
        await refresh();
      } catch (e) {
        problems.replaceChildren(el("li", { text: e.message }));
        problems.hidden = false;
      }
    }
  });

  const panel = el(
    "section",
    { class: "documents-panel", "aria-label": "Documents" },
    el("h3", { text: "Documents" }),
    el(
      "div",
      { class: "field-row" },
      el("label", { for: kind.id, text: "Document kind" }),
      kind,
      el("label", { for: contract.id, text: "Contract" }),
      contract,
      pick,
    ),
    zone,
    problems,
    list,
  );
  refresh().catch((e) => toast(e.message));
  return { panel, close: () => stop.then((unlisten) => unlisten()) };
}
