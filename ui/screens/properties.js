// Properties, their rooms and the bed map, with the bed actions: allocate,
// give notice, move out, transfer.
import { call } from "../ipc.js";
import { buildForm, el, openDialog, toast } from "../forms.js";
import { date, rupees, today } from "../format.js";
import { tenantPicker } from "../tenant_picker.js";
import { invoiceSeriesCard } from "../number_series.js";

const STATUS_TEXT = {
  vacant: "Vacant",
  reserved: "Reserved",
  occupied: "Occupied",
  on_notice: "On notice",
};

export async function renderProperties(root, selectedId) {
  const properties = await call("list_properties");
  const section = el("section", { class: "split" });
  const list = el("nav", { class: "side-list", "aria-label": "Properties" });
  const detail = el("div", { class: "detail" });
  for (const p of properties) {
    const button = el("button", { type: "button", text: p.name, "aria-current": p.id === selectedId ? "true" : null });
    button.addEventListener("click", () => {
      root.replaceChildren();
      renderProperties(root, p.id);
    });
    list.append(button);
  }
  const add = el("button", { type: "button", class: "primary", text: "Add property" });
  add.addEventListener("click", () => {
    detail.replaceChildren(propertyForm(null, (saved) => {
      root.replaceChildren();
      renderProperties(root, saved.id);
    }));
    detail.querySelector("input").focus();
  });
  list.append(add);
  section.append(list, detail);
  root.append(section);
  const selected = properties.find((p) => p.id === selectedId) || properties[0];
  if (!selected) {
    const sample = el("button", { type: "button", text: "Explore with sample data" });
    sample.addEventListener("click", async () => {
      sample.disabled = true;
      sample.textContent = "Loading sample data…";
      try {
        await call("load_sample_data");
        toast("Sample PGs loaded: two buildings, 72 beds, 80 tenants");
        root.replaceChildren();
        await renderProperties(root);
      } catch (error) {
        sample.disabled = false;
        sample.textContent = "Explore with sample data";
        toast(error.message || String(error));
      }
    });
    detail.append(
      el("h1", { text: "Create your first property" }),
      el(
        "p",
        { class: "lead" },
        "A property is one building: a PG, hostel or block. Or look around first: ",
        sample,
      ),
      propertyForm(null, (saved) => {
        root.replaceChildren();
        renderProperties(root, saved.id);
      }),
    );
    return;
  }
  await renderProperty(detail, selected, () => {
    root.replaceChildren();
    return renderProperties(root, selected.id);
  });
}

function propertyForm(property, after) {
  const p = property || {};
  return buildForm({
    title: property ? `Edit ${p.name}` : "New property",
    submitLabel: property ? "Save property" : "Create property",
    fields: [
      { name: "name", label: "Property name", value: p.name, wide: true },
      { name: "address_line1", label: "Address", value: p.address_line1, hint: "Building, street", wide: true },
      { name: "address_line2", label: "Area or landmark", value: p.address_line2, wide: true },
      { name: "city", label: "City", value: p.city },
      { name: "state", label: "State", value: p.state },
      { name: "pin_code", label: "PIN code", value: p.pin_code, inputmode: "numeric" },
      {
        name: "code",
        label: "Invoice code",
        value: p.code,
        hint: "2–6 letters or digits, e.g. BLR1. This desk's invoice prefix is made from it; change the prefix under “Invoice series” in Edit property.",
      },
      { name: "gstin", label: "GSTIN", value: p.gstin, hint: "Only if the property is GST-registered" },
      { name: "upi_id", label: "UPI ID", value: p.upi_id, hint: "For the QR code on invoices, e.g. name@okaxis" },
      { name: "landlord_name", label: "Landlord name", value: p.landlord_name, hint: "The building's owner, as rent receipts name them; blank for the property's name" },
      { name: "landlord_pan", label: "Landlord PAN", value: p.landlord_pan, hint: "Rent receipts need it once a tenant pays over ₹1,00,000 in a year" },
    ],
    onSubmit: async (input) => {
      const saved = await call("save_property", { id: property ? property.id : null, input });
      toast(`Saved ${saved.name}`);
      after(saved);
    },
  });
}

async function renderProperty(root, property, refresh) {
  const board = await call("bed_board", { propertyId: property.id, on: today() });
  const edit = el("button", { type: "button", text: "Edit property" });
  edit.addEventListener("click", () => {
    const dialog = openDialog(
      `Edit ${property.name}`,
      propertyForm(property, () => {
        dialog.close();
        refresh();
      }),
      invoiceSeriesCard(property.id),
    );
  });
  const addRoom = el("button", { type: "button", class: "primary", text: "Add room" });
  addRoom.addEventListener("click", () => {
    const dialog = openDialog("Add room", roomForm(property, () => {
      dialog.close();
      refresh();
    }));
  });
  root.append(
    el(
      "div",
      { class: "panel-head" },
      el(
        "div",
        {},
        el("h1", { text: property.name }),
        el("p", {
          class: "lead",
          text: [property.address_line1, property.address_line2, property.city, `${property.state} ${property.pin_code}`]
            .filter(Boolean)
            .join(", "),
        }),
      ),
      el("div", { class: "actions" }, edit, addRoom),
    ),
  );
  if (board.length === 0) {
    root.append(el("p", { class: "lead", text: "No rooms yet. Add the first room and its beds." }));
    return;
  }
  const legend = el(
    "p",
    { class: "legend" },
    ...Object.entries(STATUS_TEXT).map(([status, text]) => el("span", { class: `chip ${status}`, text })),
  );
  root.append(legend);
  let floor = null;
  const map = el("div", { class: "bed-map" });
  for (const room of board) {
    if (room.floor_label !== floor) {
      floor = room.floor_label;
      map.append(el("h2", { class: "floor", text: floor }));
    }
    const beds = el("div", { class: "beds" });
    for (const bed of room.beds) {
      const who = bed.tenant_name ? ` — ${bed.tenant_name}` : "";
      const button = el(
        "button",
        {
          type: "button",
          class: `bed ${bed.status}`,
          "aria-label": `Bed ${bed.label}, ${STATUS_TEXT[bed.status]}${who}`,
        },
        el("strong", { text: bed.label }),
        el("span", { text: bed.tenant_name || STATUS_TEXT[bed.status] }),
      );
      button.addEventListener("click", () => bedDialog(property, room, bed, board, refresh));
      beds.append(button);
    }
    map.append(
      el(
        "article",
        { class: "room" },
        el(
          "header",
          {},
          el("h3", { text: `Room ${room.number}` }),
          roomEditButton(property, room, refresh),
          el("span", {
            class: "room-meta",
            text: `${room.room_type}${room.ac ? " · AC" : ""} · ${rupees(room.rent_per_bed_paise)}/bed`,
          }),
        ),
        beds,
      ),
    );
  }
  root.append(map);
}

function roomEditButton(property, room, refresh) {
  const button = el("button", { type: "button", class: "link", "aria-label": `Edit room ${room.number}`, text: "Edit" });
  button.addEventListener("click", () => {
    const retire = buildForm({
      title: "Retire room",
      submitLabel: "Retire room",
      fields: [{ name: "on", label: "Out of service from", value: today(), placeholder: "DD/MM/YYYY" }],
      onSubmit: async (v) => {
        await call("retire_room", { roomId: room.room_id, on: v.on || "" });
        toast(`Room ${room.number} retired`);
        dialog.close();
        refresh();
      },
    });
    const addBed = buildForm({
      title: "Add a bed",
      submitLabel: "Add bed",
      fields: [{ name: "label", label: "New bed's label", hint: `e.g. ${room.number}-D` }],
      onSubmit: async (v) => {
        const bed = await call("add_bed", { roomId: room.room_id, input: { label: v.label || "" } });
        toast(`Bed ${bed.label} added to room ${room.number}`);
        dialog.close();
        refresh();
      },
    });
    const dialog = openDialog(
      `Room ${room.number}`,
      roomForm(property, () => {
        dialog.close();
        refresh();
      }, room),
      addBed,
      retire,
    );
  });
  return button;
}

function roomForm(property, after, existing) {
  const r = existing || {};
  return buildForm({
    submitLabel: existing ? "Save room" : "Create room",
    fields: [
      { name: "room_number", label: "Room number", value: r.number, hint: "e.g. 204 or B-204" },
      { name: "floor", label: "Floor", value: existing ? (r.floor === 0 ? "G" : String(r.floor)) : undefined, hint: "G for ground, 1, 2 … or B1" },
      {
        name: "room_type",
        label: "Room type",
        value: r.room_type,
        type: "select",
        options: [
          ["standard", "Standard"],
          ["deluxe", "Deluxe"],
          ["studio", "Studio"],
          ["apartment", "Apartment"],
          ["dormitory", "Dormitory"],
        ],
      },
      { name: "sharing", label: "Beds in room", value: existing ? String(r.beds.length) : undefined, hint: existing ? "Add a bed below; rename or retire one from the bed map" : "1 to 6", inputmode: "numeric" },
      { name: "rent_per_bed", label: "Rent per bed (₹)", value: existing ? String(r.rent_per_bed_paise / 100) : undefined, hint: "Monthly, e.g. 9,500", inputmode: "decimal" },
      { name: "ac", label: "Air-conditioned", type: "checkbox", value: r.ac },
    ],
    onSubmit: async (values) => {
      const input = {
        room_number: values.room_number || "",
        floor: values.floor || "",
        room_type: values.room_type,
        sharing: values.sharing || "",
        rent_per_bed: values.rent_per_bed || "",
        ac: values.ac,
      };
      if (existing) {
        const room = await call("update_room", { roomId: existing.room_id, input });
        toast(`Room ${room.number} saved`);
        after(room);
        return;
      }
      const room = await call("create_room", { propertyId: property.id, input });
      toast(`Room ${room.number} added with ${room.beds.length} beds`);
      after(room);
    },
  });
}

function bedDialog(property, room, bed, board, refresh) {
  const title = `Bed ${bed.label}`;
  if (bed.status === "vacant") {
    const closeAndRefresh = () => {
      dialog.close();
      refresh();
    };
    const rename = buildForm({
      title: "Rename bed",
      submitLabel: "Rename",
      fields: [{ name: "label", label: "Bed label", value: bed.label }],
      onSubmit: async (v) => {
        await call("rename_bed", { bedId: bed.bed_id, input: { label: v.label || "" } });
        toast("Bed renamed");
        closeAndRefresh();
      },
    });
    const retire = buildForm({
      title: "Retire bed",
      submitLabel: "Retire bed",
      fields: [{ name: "on", label: "Out of service from", value: today(), placeholder: "DD/MM/YYYY" }],
      onSubmit: async (v) => {
        await call("retire_bed", { bedId: bed.bed_id, on: v.on || "" });
        toast(`Bed ${bed.label} retired`);
        closeAndRefresh();
      },
    });
    const dialog = openDialog(title, allocateForm(bed, closeAndRefresh), rename, retire);
    return;
  }
  const facts = el(
    "dl",
    { class: "facts" },
    el("dt", { text: "Tenant" }),
    el("dd", { text: bed.tenant_name }),
    el("dt", { text: "Moves in" }),
    el("dd", { text: date(bed.move_in) }),
    el("dt", { text: "Moves out" }),
    el("dd", { text: bed.move_out ? date(bed.move_out) : "Not set" }),
  );
  const freeBeds = board.flatMap((r) => r.beds.filter((b) => b.status === "vacant").map((b) => [b.bed_id, `Room ${r.number}, bed ${b.label}`]));
  const done = (message) => {
    toast(message);
    dialog.close();
    refresh();
  };
  const notice = buildForm({
    title: "Give notice",
    submitLabel: "Record notice",
    fields: [
      { name: "given_on", label: "Notice given on", value: today(), placeholder: "DD/MM/YYYY" },
      { name: "planned_move_out", label: "Planned move-out", placeholder: "DD/MM/YYYY", hint: "Leave empty for the contract's notice period" },
    ],
    onSubmit: async (v) => {
      await call("give_notice", { allocationId: bed.allocation_id, givenOn: v.given_on || "", plannedMoveOut: v.planned_move_out });
      done(`Notice recorded for ${bed.tenant_name}`);
    },
  });
  const moveOut = buildForm({
    title: "Move out",
    submitLabel: "Record move-out",
    fields: [{ name: "move_out", label: "Move-out date", value: today(), placeholder: "DD/MM/YYYY", hint: "The first day the bed is free" }],
    onSubmit: async (v) => {
      await call("move_out", { allocationId: bed.allocation_id, on: v.move_out || "" });
      done(`${bed.tenant_name} moves out`);
    },
  });
  const transfer = buildForm({
    title: "Transfer to another bed",
    submitLabel: "Transfer",
    fields: [
      { name: "to_bed_id", label: "New bed", type: "select", options: freeBeds.length ? freeBeds : [["", "No vacant bed"]] },
      { name: "transfer_on", label: "Transfer date", value: today(), placeholder: "DD/MM/YYYY" },
    ],
    onSubmit: async (v) => {
      await call("transfer", { allocationId: bed.allocation_id, toBedId: v.to_bed_id || "", on: v.transfer_on || "" });
      done(`${bed.tenant_name} transferred`);
    },
  });
  const contractSlot = el("div");
  const dialog = openDialog(title, facts, contractSlot, notice, moveOut, transfer);
  call("get_contract", { allocationId: bed.allocation_id }).then((contract) => {
    contractSlot.append(contractForm(bed, contract, room, () => done("Contract saved")));
  });
}

function contractForm(bed, contract, room, after) {
  const c = contract || {};
  const rupeesValue = (paise) => (paise === undefined ? undefined : String(paise / 100));
  return buildForm({
    title: contract ? "Contract" : "Add contract",
    submitLabel: "Save contract",
    fields: [
      { name: "monthly_rent", label: "Monthly rent (₹)", value: rupeesValue(c.monthly_rent_paise ?? room.rent_per_bed_paise), inputmode: "decimal" },
      { name: "security_deposit", label: "Security deposit (₹)", value: rupeesValue(c.deposit_paise), inputmode: "decimal" },
      { name: "billing_day", label: "Billing day", value: c.billing_day ?? "1", hint: "1 to 28", inputmode: "numeric" },
      { name: "lock_in_months", label: "Lock-in (months)", value: c.lock_in_months ?? "0", inputmode: "numeric" },
      { name: "notice_days", label: "Notice period (days)", value: c.notice_days ?? "30", inputmode: "numeric" },
      { name: "yearly_escalation_percent", label: "Yearly escalation (%)", value: c.escalation_bp === undefined ? "0" : String(c.escalation_bp / 100), inputmode: "decimal" },
      { name: "start_date", label: "Start date", value: date(c.starts_on || bed.move_in), placeholder: "DD/MM/YYYY" },
      { name: "end_date", label: "End date", value: date(c.ends_on), placeholder: "DD/MM/YYYY" },
      {
        name: "status",
        label: "Contract status",
        type: "select",
        value: c.status || "active",
        options: [["draft", "Draft"], ["active", "Active"], ["ended", "Ended"]],
      },
    ],
    onSubmit: async (v) => {
      const input = Object.fromEntries(Object.entries(v).map(([k, val]) => [k, val ?? (k === "end_date" ? null : "")]));
      await call("save_contract", { allocationId: bed.allocation_id, input });
      after();
    },
  });
}

function allocateForm(bed, after) {
  const picker = tenantPicker();
  return buildForm({
    title: "Allocate this bed",
    submitLabel: "Allocate",
    prepend: picker.element,
    fields: [
      { name: "move_in", label: "Move-in date", value: today(), placeholder: "DD/MM/YYYY" },
      { name: "move_out", label: "Move-out date", placeholder: "DD/MM/YYYY", hint: "Optional: the first day the bed is free again" },
    ],
    onSubmit: async (v) => {
      const chosen = picker.chosen();
      await call("allocate", { tenantId: chosen.id, bedId: bed.bed_id, input: { move_in: v.move_in || "", move_out: v.move_out } });
      toast(`${chosen.full_name} allocated to ${bed.label}`);
      after();
    },
  });
}
