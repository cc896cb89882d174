// A location's dated closures (holidays) and its tables (name, seats, in use), each added, edited or removed in
// place.

import { api, el } from "../common.js";
import { confirm } from "./dialog.js";
import { createForm } from "./form.js";
import { toast } from "./toast.js";

function sayDate(text) {
  const [y, m, d] = String(text).split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.toLocaleDateString([], { weekday: "short", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** Closed dates: the list (those not over yet), remove one, add a date or a range with a note for guests. */
export function createClosures(root, location, onChange) {
  const section = el("section", { class: "admin-panel-box", "aria-labelledby": "closures-title" });
  const list = el("ul", { class: "admin-plain-list admin-closures" });
  const formBox = el("div");
  section.append(
    el("h2", { class: "admin-section-title", id: "closures-title", text: "Closed dates and holidays" }),
    el("p", { class: "admin-help", text: "On these dates no orders are taken, whatever the weekly hours say. Guests read the note." }),
    list,
    el("h3", { class: "admin-subtitle", text: "Add closed dates" }),
    formBox,
  );
  root.append(section);

  async function load(focusFirst) {
    const response = await api(`/api/locations/${encodeURIComponent(location.id)}/closures`);
    if (!response.ok) {
      list.replaceChildren(el("li", { class: "banner banner-error", text: response.error }));
      return;
    }
    const closures = response.data || [];
    list.replaceChildren(
      ...(closures.length
        ? closures.map((closure) => {
            const when = closure.startDate === closure.endDate ? sayDate(closure.startDate) : `${sayDate(closure.startDate)} – ${sayDate(closure.endDate)}`;
            const remove = el("button", { type: "button", class: "btn btn-ghost" }, "Remove", el("span", { class: "visually-hidden", text: ` the closure on ${when}` }));
            remove.addEventListener("click", async () => {
              if (!(await confirm({ title: "Open on these dates again?", body: `${when}: the weekly hours apply again.`, confirmLabel: "Remove the closure" }))) return;
              const result = await api(`/api/locations/${encodeURIComponent(location.id)}/closures/${encodeURIComponent(closure.id)}`, { method: "DELETE" });
              if (!result.ok) return toast(result.error, { kind: "error" });
              toast(`Open again on ${when}.`, { kind: "success" });
              onChange();
              return load(true);
            });
            return el("li", { class: "admin-closure" }, el("span", {}, el("strong", { text: when }), closure.note ? ` · ${closure.note}` : ""), remove);
          })
        : [el("li", { class: "muted", text: "No closed dates ahead." })]),
    );
    if (focusFirst) {
      const first = list.querySelector("button") || form.control("startDate");
      first.focus();
    }
  }

  const form = createForm(formBox, {
    label: "Add closed dates",
    fields: [
      { name: "startDate", label: "From", type: "date", required: true },
      { name: "endDate", label: "Until (optional)", type: "date", nullable: true, help: "Leave empty to close one day only." },
      { name: "note", label: "Note for guests", nullable: true, maxLength: 200, placeholder: "Closed for the holidays" },
    ],
    submitLabel: "Add closed dates",
    submit: (values) => api(`/api/locations/${encodeURIComponent(location.id)}/closures`, { method: "POST", body: values }),
    onSaved: () => {
      toast("Closed dates added.", { kind: "success" });
      onChange();
      load(false);
      return { startDate: "", endDate: "", note: "" };
    },
  });
  load(false);
}

/** Tables: each one's name, seats and whether it is in use, saved in place; add a table. */
export function createTables(root, location) {
  const section = el("section", { class: "admin-panel-box", "aria-labelledby": "tables-title" });
  const cards = el("ul", { class: "admin-table-cards" });
  const addBox = el("div");
  section.append(
    el("h2", { class: "admin-section-title", id: "tables-title", text: "Tables" }),
    el("p", { class: "admin-help", text: "Guests choose a table for dine-in orders. A table not in use is kept (its orders keep its name) but cannot be chosen." }),
    cards,
    el("h3", { class: "admin-subtitle", text: "Add a table" }),
    addBox,
  );
  root.append(section);
  const forms = [];

  function card(table) {
    const holder = el("li", { class: `admin-table-card${table.isActive ? "" : " is-hidden"}`, dataset: { table: table.id } });
    holder.append(el("h3", { class: "admin-subtitle", text: table.isActive ? table.name : `${table.name} (not in use)` }));
    const form = createForm(holder, {
      label: `Table ${table.name}`,
      fields: [
        { name: "name", label: "Name", required: true, maxLength: 60 },
        { name: "capacity", label: "Seats", type: "number", min: 1, max: 1000, step: 1, required: true },
        { name: "isActive", label: "In use", type: "checkbox" },
      ],
      values: table,
      submitLabel: "Save table",
      submit: (values) => api(`/api/locations/${encodeURIComponent(location.id)}/tables/${encodeURIComponent(table.id)}`, { method: "PATCH", body: values }),
      onSaved: (saved) => {
        toast(saved.isActive ? `Table ${saved.name} saved.` : `Table ${saved.name} is no longer in use.`, { kind: "success" });
        form.markSaved();
        load(saved.id);
      },
    });
    forms.push(form);
    return holder;
  }

  async function load(focusId) {
    const response = await api(`/api/locations/${encodeURIComponent(location.id)}/tables`);
    for (const form of forms.splice(0)) form.destroy();
    if (!response.ok) {
      cards.replaceChildren(el("li", { class: "banner banner-error", text: response.error }));
      return;
    }
    const tables = response.data || [];
    cards.replaceChildren(...(tables.length ? tables.map(card) : [el("li", { class: "muted", text: "No tables yet." })]));
    if (focusId) {
      const target = cards.querySelector(`[data-table="${CSS.escape(focusId)}"] input`);
      if (target) target.focus();
    }
  }

  const add = createForm(addBox, {
    label: "Add a table",
    fields: [
      { name: "name", label: "Table name", required: true, maxLength: 60, placeholder: "T1" },
      { name: "capacity", label: "Seats", type: "number", min: 1, max: 1000, step: 1, required: true },
    ],
    values: { capacity: 4 },
    submitLabel: "Add table",
    submit: (values) => api(`/api/locations/${encodeURIComponent(location.id)}/tables`, { method: "POST", body: { ...values, isActive: true } }),
    onSaved: (saved) => {
      toast(`Table ${saved.name} added.`, { kind: "success" });
      load(null);
      add.control("name").focus();
      return { name: "", capacity: saved.capacity };
    },
  });
  load(null);
}
