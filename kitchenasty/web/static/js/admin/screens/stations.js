// Kitchen stations: the places on the line (bar, grill…), each with the categories whose items it prepares.
// Add or rename a station, pick its categories (a category goes to one station at most), switch it off, delete it,
// and open its own kitchen display (`/kitchen?station=<slug>`). An item can override its category's station in
// the menu item form.

import { api, el } from "../../common.js";
import { confirm } from "../dialog.js";
import { createForm } from "../form.js";
import { flatten, followName, loadTree } from "../menu-shared.js";
import { toast } from "../toast.js";

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Stations");
  let tree = await loadTree();
  let stations = [];
  const listBox = el("div", { class: "admin-station-list" });
  const editBox = el("section", { class: "admin-panel-box", "aria-labelledby": "station-edit-title", hidden: true });
  const addBox = el("section", { class: "admin-panel-box", "aria-labelledby": "station-add-title" });
  main.replaceChildren(
    el("p", { class: "muted", text: "Each station's display shows only its items of every order; the expo display (no station) shows whole orders. Items of categories that go to no station appear on the expo display only." }),
    el(
      "div",
      { class: "admin-split" },
      el("section", { "aria-labelledby": "station-list-title" }, el("h2", { class: "admin-section-title", id: "station-list-title", text: "Stations" }), listBox),
      el("div", {}, editBox, addBox),
    ),
  );
  let editForm = null;

  async function load() {
    const response = await api("/api/stations");
    if (!response.ok) {
      listBox.replaceChildren(el("p", { class: "banner banner-error", role: "alert", text: response.error }));
      return;
    }
    stations = response.data;
  }

  function categoryName(id) {
    const found = flatten(tree).find((entry) => entry.category.id === id);
    return found ? found.path : "A deleted category";
  }

  function drawList() {
    if (!stations.length) {
      listBox.replaceChildren(el("p", { class: "admin-empty", text: "No stations yet: every order goes to the expo display as a whole. Add the first station." }));
      return;
    }
    listBox.replaceChildren(
      el(
        "ul",
        { class: "admin-station-cards" },
        stations.map((station) => {
          const edit = el("button", { type: "button", class: "btn", dataset: { action: "edit" } }, "Edit", el("span", { class: "visually-hidden", text: ` ${station.name}` }));
          const remove = el("button", { type: "button", class: "btn btn-ghost", dataset: { action: "delete" } }, "Delete", el("span", { class: "visually-hidden", text: ` ${station.name}` }));
          edit.addEventListener("click", () => openEdit(station));
          remove.addEventListener("click", () => removeStation(station));
          const names = station.categoryIds.map(categoryName);
          return el(
            "li",
            { class: `admin-station-card${station.active ? "" : " is-hidden"}`, dataset: { station: station.id } },
            el("div", { class: "admin-tree-name" }, el("strong", { text: station.name }), " ", station.active ? null : el("span", { class: "admin-status admin-avail-hidden", text: "Switched off" })),
            el("p", { class: "muted", text: names.length ? `Categories: ${names.join(", ")}` : "No categories yet (only items sent here one by one)." }),
            el(
              "div",
              { class: "admin-ml-actions" },
              el("a", { class: "btn btn-ghost", href: station.displayUrl, target: "_blank", rel: "noopener" }, "Open this station's display", el("span", { class: "visually-hidden", text: ` (${station.name}, opens in a new tab)` })),
              edit,
              remove,
            ),
          );
        }),
      ),
    );
  }

  async function refresh(focusId) {
    [tree] = await Promise.all([loadTree(), load()]);
    drawList();
    if (focusId) {
      const target = listBox.querySelector(`[data-station="${CSS.escape(focusId)}"] [data-action="edit"]`);
      if (target) target.focus();
    }
  }

  async function removeStation(station) {
    const sure = await confirm({
      title: `Delete ${station.name}?`,
      body: "Its categories go back to no station; orders already placed keep their lines as they were.",
      confirmLabel: "Delete station",
      danger: true,
    });
    if (!sure) return;
    const response = await api(`/api/stations/${encodeURIComponent(station.id)}`, { method: "DELETE" });
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(`${station.name} deleted.`, { kind: "success" });
    closeEdit();
    return refresh(null);
  }

  function categoryPicker(station) {
    const holders = new Map();
    for (const other of stations) {
      if (!station || other.id !== station.id) for (const id of other.categoryIds) holders.set(id, other.name);
    }
    const chosen = new Set(station ? station.categoryIds : []);
    const inputs = flatten(tree).map(({ category, depth, path }) => {
      const heldBy = holders.get(category.id);
      const input = el("input", { type: "checkbox", value: category.id, checked: chosen.has(category.id), disabled: Boolean(heldBy) });
      const label = heldBy ? `${path} (goes to ${heldBy})` : path;
      return { input, node: el("label", { class: `check admin-depth-${Math.min(depth, 4)}` }, input, el("span", { text: label })) };
    });
    const fieldset = el(
      "fieldset",
      { class: "admin-fieldset" },
      el("legend", { text: "Categories" }),
      el("p", { class: "admin-help", text: "Their items, and those of the categories inside them (unless those have a station of their own), go to this station." }),
      inputs.length ? el("div", { class: "admin-checks" }, inputs.map((i) => i.node)) : el("p", { class: "muted", text: "No categories yet." }),
    );
    return { fieldset, ids: () => inputs.filter((i) => i.input.checked && !i.input.disabled).map((i) => i.input.value) };
  }

  function openEdit(station) {
    if (editForm) editForm.destroy();
    editBox.hidden = false;
    editBox.replaceChildren(el("h2", { class: "admin-section-title", id: "station-edit-title", text: `Edit ${station.name}` }));
    const picker = categoryPicker(station);
    editForm = createForm(editBox, {
      label: `Edit ${station.name}`,
      fields: [
        { name: "name", label: "Name", required: true, maxLength: 60 },
        { name: "position", label: "Position", type: "number", min: 0, step: 1, help: "Lower numbers come first in lists and on the kitchen display's station menu." },
        { name: "active", label: "Receives items", type: "checkbox", help: "Switched off, its items go to the next station up their categories, or to the expo display only." },
      ],
      values: { name: station.name, position: station.position, active: station.active },
      submitLabel: "Save station",
      cancel: { label: "Close", onClick: () => closeEdit(station.id) },
      submit: (values) =>
        api(`/api/stations/${encodeURIComponent(station.id)}`, {
          method: "PATCH",
          body: { name: values.name, position: values.position ?? 0, active: values.active, categoryIds: picker.ids() },
        }),
      onSaved: (saved) => {
        toast(`${saved.name} saved.`, { kind: "success" });
        editForm.markSaved();
        closeEdit(null);
        refresh(saved.id);
      },
    });
    editForm.form.insertBefore(picker.fieldset, editForm.form.querySelector(".admin-form-error"));
    editForm.control("name").focus();
  }

  function closeEdit(focusId) {
    if (editForm) editForm.destroy();
    editForm = null;
    editBox.hidden = true;
    editBox.replaceChildren();
    if (focusId) {
      const target = listBox.querySelector(`[data-station="${CSS.escape(focusId)}"] [data-action="edit"]`);
      if (target) target.focus();
    }
  }

  let addForm = null;
  function drawAdd() {
    if (addForm) addForm.destroy();
    addBox.replaceChildren(el("h2", { class: "admin-section-title", id: "station-add-title", text: "Add a station" }));
    const picker = categoryPicker(null);
    addForm = createForm(addBox, {
      label: "Add a station",
      fields: [
        { name: "name", label: "Name", required: true, maxLength: 60 },
        { name: "slug", label: "Address name", required: true, maxLength: 60, help: "Used in the display's address (/kitchen?station=bar); filled in from the name; it cannot change later." },
      ],
      values: {},
      submitLabel: "Add station",
      submit: (values) => api("/api/stations", { method: "POST", body: { name: values.name, slug: values.slug, position: stations.length, categoryIds: picker.ids() } }),
      onSaved: (saved) => {
        toast(`${saved.name} added.`, { kind: "success" });
        addForm.markSaved();
        refresh(saved.id).then(drawAdd);
      },
    });
    addForm.form.insertBefore(picker.fieldset, addForm.form.querySelector(".admin-form-error"));
    followName(addForm.control("name"), addForm.control("slug"));
  }

  await load();
  drawList();
  drawAdd();
}
