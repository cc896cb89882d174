// Menu items: the list (by category, search) with one tap to mark an item sold out or back on sale, duplicate,
// and a category's prices changed by a percentage; `/admin/menu/items/new` and `/admin/menu/items/<id>` are the
// item form (admin/menu-item.js).

import { api, el, money } from "../../common.js";
import { confirm } from "../dialog.js";
import { centsToAmount, createForm } from "../form.js";
import { createList } from "../list.js";
import { mountItem } from "../menu-item.js";
import { availabilityBadge, categoryChoices, loadTree, withHidden } from "../menu-shared.js";
import { toast } from "../toast.js";

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  if (ctx.path[0] === "items" && ctx.path[1]) return mountItem(main, ctx, ctx.path[1] === "new" ? null : ctx.path[1]);
  ctx.setTitle("Menu items");
  const tree = await loadTree();
  const choices = categoryChoices(tree);

  const newHref = () => {
    const category = new URLSearchParams(location.search).get("category");
    return category ? `/admin/menu/items/new?category=${encodeURIComponent(category)}` : "/admin/menu/items/new";
  };
  const newLink = el("a", { class: "btn btn-primary", href: "/admin/menu/items/new", text: "New item" });
  newLink.addEventListener("click", () => newLink.setAttribute("href", newHref()));
  main.append(
    el(
      "div",
      { class: "admin-actions-bar" },
      newLink,
      el("a", { class: "btn", href: "/admin/categories", text: "Categories" }),
    ),
  );

  let list = null;

  function soldOutButton(item) {
    const button = el("button", { type: "button", class: "btn admin-soldout-btn" });
    const paint = (row) => {
      const soldOut = row.isSoldOut;
      button.replaceChildren(...withHidden(soldOut ? "Back on sale" : "Mark sold out", row.name));
      button.classList.toggle("is-sold-out", soldOut);
      button.dataset.soldOut = soldOut ? "true" : "false";
    };
    paint(item);
    button.addEventListener("click", async () => {
      const soldOut = button.dataset.soldOut === "true";
      button.disabled = true;
      const response = await api(`/api/menu/items/${encodeURIComponent(item.id)}/${soldOut ? "available" : "sold-out"}`, {
        method: "POST",
      });
      button.disabled = false;
      if (!response.ok) {
        toast(response.error, { kind: "error" });
        return;
      }
      const row = response.data;
      paint(row);
      const badge = document.getElementById(`avail-${item.id}`);
      if (badge) badge.replaceChildren(availabilityBadge(row));
      toast(row.isSoldOut ? `${row.name} is marked sold out.` : `${row.name} is on sale again.`, { kind: "success" });
      button.focus();
    });
    return button;
  }

  function duplicateButton(item) {
    const button = el("button", { type: "button", class: "btn btn-ghost" }, ...withHidden("Duplicate", item.name));
    button.addEventListener("click", async () => {
      button.disabled = true;
      const response = await api(`/api/menu/items/${encodeURIComponent(item.id)}/duplicate`, { method: "POST" });
      button.disabled = false;
      if (!response.ok) {
        toast(response.error, { kind: "error" });
        return;
      }
      toast(`Copied as “${response.data.name}”, hidden from guests until you show it.`, { kind: "success" });
      ctx.navigate(`/admin/menu/items/${encodeURIComponent(response.data.id)}`);
    });
    return button;
  }

  list = createList(main, {
    label: "Menu items",
    noun: ["item", "items"],
    endpoint: (query) => {
      if (query.get("categoryId")) query.set("includeSubcategories", "true");
      return `/api/menu/items?${query}`;
    },
    navigate: ctx.navigate,
    search: { label: "Search items", help: "Part of the name is enough." },
    filters: [{ name: "category", param: "categoryId", label: "Category", options: choices, allLabel: "All categories" }],
    columns: [
      { label: "Item", key: "name", sortable: true },
      { label: "Price", value: (item) => money(item.price), align: "end", sortable: true, sortKey: "price", sortValue: (item) => item.price },
      {
        label: "Availability",
        value: (item) => el("div", { class: "admin-avail-cell" }, el("span", { id: `avail-${item.id}` }, availabilityBadge(item)), soldOutButton(item)),
      },
      { label: "Category", value: (item) => item.category && item.category.name, sortable: true, sortKey: "category" },
      { label: "Copy", value: (item) => el("div", { class: "admin-ml-actions" }, duplicateButton(item)) },
    ],
    rowHref: (item) => `/admin/menu/items/${encodeURIComponent(item.id)}`,
    empty: "No items match. Clear the search or choose another category.",
  });

  main.append(repricePanel(choices, () => list.reload({ quiet: true })));
}

/** "Change prices by a percentage" for one category (and, if asked, its subcategories and option prices). */
function repricePanel(choices, done) {
  const details = el("details", { class: "admin-disclosure" }, el("summary", { text: "Change a category's prices by a percentage" }));
  const result = el("div", { class: "admin-reprice-result", role: "status" });
  const holder = el("div");
  details.append(
    el("p", { class: "muted", text: "Every item's price in the category goes up (or down, with a minus) by the percentage, rounded to the cent or to the step you choose. Orders already placed keep their prices." }),
    holder,
    result,
  );
  const form = createForm(holder, {
    label: "Change prices",
    submitLabel: "Change prices",
    trackChanges: false,
    fields: [
      { name: "categoryId", label: "Category", type: "select", options: choices, required: true },
      { name: "percent", label: "Change by (%)", type: "text", inputmode: "decimal", help: "For example 5 for 5 % more, -10 for 10 % less.", required: true },
      { name: "includeSubcategories", label: "Include the categories below it", type: "checkbox" },
      { name: "includeModifiers", label: "Change the options' extra prices too", type: "checkbox" },
      { name: "roundTo", label: "Round to (optional)", type: "money", help: "For example 0.10 to end every price on a whole ten cents." },
    ],
    values: { includeSubcategories: true },
    submit: async (values) => {
      const category = choices.find((c) => c.value === values.categoryId);
      const percent = String(values.percent).replace(",", ".");
      if (!(await confirm({
        title: "Change these prices?",
        body: `Every price in ${category ? category.label : "this category"}${values.includeSubcategories ? " and the categories below it" : ""} changes by ${percent.startsWith("-") ? "" : "+"}${percent} %.`,
        confirmLabel: "Change prices",
      }))) {
        return { ok: true, status: 200, data: null };
      }
      const body = {
        percent,
        includeSubcategories: values.includeSubcategories,
        includeModifiers: values.includeModifiers,
      };
      if (values.roundTo !== null) body.roundTo = centsToAmount(values.roundTo);
      return api(`/api/menu/categories/${encodeURIComponent(values.categoryId)}/reprice`, { method: "POST", body });
    },
    onSaved: (data) => {
      if (!data) return;
      if (!data.count) {
        result.replaceChildren(el("p", { text: "No price changed: the category has no items, or the rounding kept every price." }));
        return;
      }
      result.replaceChildren(
        el("p", { text: `${data.count} price${data.count === 1 ? "" : "s"} changed.` }),
        el(
          "ul",
          { class: "admin-plain-list" },
          data.items.map((item) => el("li", { text: `${item.name}: ${money(item.before)} → ${money(item.after)}` })),
        ),
      );
      toast(`${data.count} price${data.count === 1 ? "" : "s"} changed.`, { kind: "success" });
      done();
    },
  });
  if (choices.length) form.control("categoryId").value = choices[0].value;
  return details;
}
