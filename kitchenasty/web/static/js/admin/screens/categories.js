// The category tree: add a category (at the top or under another), rename it, move it under another, reorder it
// among its siblings, hide or show it (a hidden category hides everything below it from guests).

import { api, el } from "../../common.js";
import { createForm } from "../form.js";
import { categoryChoices, followName, loadTree, subtreeIds, withHidden } from "../menu-shared.js";
import { toast } from "../toast.js";

const TOP = { value: "", label: "Top level (no parent)" };

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Categories");
  let tree = await loadTree();
  const treeBox = el("div", { class: "admin-tree-box" });
  const editBox = el("section", { class: "admin-panel-box", "aria-labelledby": "category-edit-title", hidden: true });
  const addBox = el("section", { class: "admin-panel-box", "aria-labelledby": "category-add-title" });
  main.replaceChildren(
    el("p", { class: "admin-back" }, el("a", { href: "/admin/menu", text: "← Menu items" })),
    el("div", { class: "admin-split" }, el("section", { "aria-labelledby": "category-tree-title" }, el("h2", { class: "admin-section-title", id: "category-tree-title", text: "The menu's categories" }), treeBox), el("div", {}, editBox, addBox)),
  );
  let editing = null;
  let editForm = null;

  async function refresh(focusId, focusWhat) {
    tree = await loadTree();
    drawTree();
    drawAdd();
    if (focusId) {
      const target = treeBox.querySelector(`[data-category="${CSS.escape(focusId)}"] [data-action="${focusWhat || "edit"}"]`);
      if (target && !target.disabled) target.focus();
      else {
        const fallback = treeBox.querySelector(`[data-category="${CSS.escape(focusId)}"] [data-action="edit"]`);
        if (fallback) fallback.focus();
      }
    }
  }

  async function reorder(siblings, index, delta, parentId) {
    const ids = siblings.map((c) => c.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + delta, 0, moved);
    const response = await api("/api/menu/categories/order", { method: "PUT", body: { parentId, ids } });
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(`${siblings[index].name} moved ${delta < 0 ? "up" : "down"}.`, { kind: "success" });
    return refresh(moved, delta < 0 ? "up" : "down");
  }

  async function setActive(category, isActive) {
    const response = await api(`/api/menu/categories/${encodeURIComponent(category.id)}`, { method: "PATCH", body: { isActive } });
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(isActive ? `${category.name} is shown to guests again.` : `${category.name} and everything in it are hidden from guests.`, { kind: "success" });
    return refresh(category.id, "toggle");
  }

  function node(category, siblings, index, parentId) {
    const count = (category._count && category._count.menuItems) || 0;
    const up = el("button", { type: "button", class: "btn btn-ghost", dataset: { action: "up" }, disabled: index === 0 }, ...withHidden("Move up", category.name));
    const down = el("button", { type: "button", class: "btn btn-ghost", dataset: { action: "down" }, disabled: index === siblings.length - 1 }, ...withHidden("Move down", category.name));
    const edit = el("button", { type: "button", class: "btn", dataset: { action: "edit" } }, ...withHidden("Edit", category.name));
    const toggle = el("button", { type: "button", class: "btn btn-ghost", dataset: { action: "toggle" } }, ...withHidden(category.isActive ? "Hide" : "Show", category.name));
    up.addEventListener("click", () => reorder(siblings, index, -1, parentId));
    down.addEventListener("click", () => reorder(siblings, index, 1, parentId));
    toggle.addEventListener("click", () => setActive(category, !category.isActive));
    edit.addEventListener("click", () => openEdit(category));
    const children = category.children || [];
    return el(
      "li",
      { class: `admin-tree-node${category.isActive ? "" : " is-hidden"}`, dataset: { category: category.id } },
      el(
        "div",
        { class: "admin-tree-row" },
        el(
          "div",
          { class: "admin-tree-name" },
          el("strong", { text: category.name }),
          " ",
          category.isActive ? null : el("span", { class: "admin-status admin-avail-hidden", text: "Hidden" }),
          el("a", { class: "admin-tree-count", href: `/admin/menu?category=${encodeURIComponent(category.id)}`, text: `${count} item${count === 1 ? "" : "s"}` }),
        ),
        el("div", { class: "admin-ml-actions" }, up, down, edit, toggle),
      ),
      children.length ? el("ul", { class: "admin-tree" }, children.map((child, i) => node(child, children, i, category.id))) : null,
    );
  }

  function drawTree() {
    treeBox.replaceChildren(
      tree.length
        ? el("ul", { class: "admin-tree admin-tree-root" }, tree.map((category, i) => node(category, tree, i, null)))
        : el("p", { class: "admin-empty", text: "No categories yet: add the first one." }),
    );
  }

  function find(id, list = tree) {
    for (const category of list) {
      if (category.id === id) return category;
      const found = find(id, category.children || []);
      if (found) return found;
    }
    return null;
  }

  function openEdit(category) {
    editing = category;
    if (editForm) editForm.destroy();
    editBox.hidden = false;
    editBox.replaceChildren(el("h2", { class: "admin-section-title", id: "category-edit-title", text: `Edit ${category.name}` }));
    const parents = [TOP, ...categoryChoices(tree, { exclude: subtreeIds(category) })];
    editForm = createForm(editBox, {
      label: `Edit ${category.name}`,
      fields: [
        { name: "name", label: "Name", required: true, maxLength: 120 },
        { name: "parentId", label: "Inside", type: "select", options: parents, nullable: true, help: "Move it under another category, or to the top level." },
        { name: "description", label: "Description", type: "textarea", nullable: true, maxLength: 2000 },
        { name: "isActive", label: "Shown to guests", type: "checkbox" },
      ],
      values: { name: category.name, parentId: category.parentId || "", description: category.description || "", isActive: category.isActive },
      submitLabel: "Save category",
      cancel: { label: "Close", onClick: () => closeEdit(category.id) },
      submit: (values) => api(`/api/menu/categories/${encodeURIComponent(category.id)}`, { method: "PATCH", body: values }),
      onSaved: (saved) => {
        toast(`${saved.name} saved.`, { kind: "success" });
        editForm.markSaved();
        closeEdit(null);
        refresh(saved.id, "edit");
      },
    });
    editForm.control("name").focus();
  }

  function closeEdit(focusId) {
    if (editForm) editForm.destroy();
    editForm = null;
    editing = null;
    editBox.hidden = true;
    editBox.replaceChildren();
    if (focusId) {
      const target = treeBox.querySelector(`[data-category="${CSS.escape(focusId)}"] [data-action="edit"]`);
      if (target) target.focus();
    }
  }

  let addForm = null;
  function drawAdd() {
    const keep = addForm && addForm.isDirty() ? addForm.values() : null;
    if (addForm) addForm.destroy();
    addBox.replaceChildren(el("h2", { class: "admin-section-title", id: "category-add-title", text: "Add a category" }));
    addForm = createForm(addBox, {
      label: "Add a category",
      fields: [
        { name: "name", label: "Name", required: true, maxLength: 120 },
        { name: "slug", label: "Address name", required: true, maxLength: 120, help: "Filled in from the name; it cannot change later." },
        { name: "parentId", label: "Inside", type: "select", options: [TOP, ...categoryChoices(tree)], nullable: true },
        { name: "description", label: "Description", type: "textarea", nullable: true, maxLength: 2000 },
      ],
      values: keep || { parentId: "" },
      submitLabel: "Add category",
      submit: (values) => api("/api/menu/categories", { method: "POST", body: values }),
      onSaved: (saved) => {
        toast(`${saved.name} added.`, { kind: "success" });
        addForm.markSaved();
        refresh(saved.id, "edit");
      },
    });
    if (keep) addForm.form.dispatchEvent(new Event("input"));
    followName(addForm.control("name"), addForm.control("slug"));
    if (editing && !find(editing.id)) closeEdit(null);
  }

  drawTree();
  drawAdd();
}
