// One menu item's form (`/admin/menu/items/new`, `/admin/menu/items/<id>`): name, description, price, category,
// allergens, mealtimes, image, availability, stock, and its option groups inline (menu-options.js). Leaving with
// unsaved changes asks first.

import { api, el } from "../common.js";
import { amountToCents, centsToAmount, createForm } from "./form.js";
import { setDirty } from "./leave.js";
import { createOptionsEditor } from "./menu-options.js";
import { availabilityBadge, categoryChoices, followName, loadTree } from "./menu-shared.js";
import { toast } from "./toast.js";

const ORDER_TYPES = [
  { value: "", label: "Every kind of order" },
  { value: "DELIVERY", label: "Delivery only" },
  { value: "PICKUP", label: "Pickup only" },
  { value: "DINE_IN", label: "Dine-in only" },
];

const DAY_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function formValues(item) {
  return {
    name: item.name,
    slug: item.slug,
    description: item.description || "",
    price: amountToCents(item.price),
    categoryId: item.categoryId,
    image: item.image || "",
    isActive: item.isActive,
    trackStock: item.trackStock,
    stockQty: item.stockQty,
    orderType: item.orderType || "",
    sortOrder: item.sortOrder,
    stationId: item.stationId || "",
  };
}

function checkboxGroup(legend, help, entries, chosen) {
  const inputs = entries.map((entry) => {
    const input = el("input", { type: "checkbox", value: entry.id, checked: chosen.has(entry.id) });
    return { input, node: el("label", { class: "check" }, input, el("span", { text: entry.label })) };
  });
  const fieldset = el(
    "fieldset",
    { class: "admin-fieldset" },
    el("legend", { text: legend }),
    el("p", { class: "admin-help", text: help }),
    entries.length ? el("div", { class: "admin-checks" }, inputs.map((i) => i.node)) : el("p", { class: "muted", text: "None set up yet." }),
  );
  return {
    fieldset,
    ids: () => inputs.filter((i) => i.input.checked).map((i) => i.input.value),
    set(ids) {
      const wanted = new Set(ids);
      for (const i of inputs) i.input.checked = wanted.has(i.input.value);
    },
  };
}

/**
 * @param {HTMLElement} main @param {object} ctx @param {string|null} itemId - null for a new item
 */
export async function mountItem(main, ctx, itemId) {
  ctx.setTitle(itemId ? "Menu item" : "New menu item");
  const [tree, allergenResponse, mealtimeResponse, itemResponse, stationResponse] = await Promise.all([
    loadTree(),
    api("/api/menu/allergens"),
    api("/api/menu/mealtimes"),
    itemId ? api(`/api/menu/items/${encodeURIComponent(itemId)}`) : Promise.resolve(null),
    api("/api/stations"),
  ]);
  const stations = [
    { value: "", label: "Follow the category" },
    ...(stationResponse.ok ? stationResponse.data : []).map((s) => ({ value: s.id, label: s.active ? s.name : `${s.name} (switched off)` })),
  ];
  const back = el("p", { class: "admin-back" }, el("a", { href: "/admin/menu", text: "← All menu items" }));
  if (itemResponse && !itemResponse.ok) {
    main.replaceChildren(back, el("p", { class: "banner banner-error", role: "alert", text: itemResponse.error }));
    return;
  }
  let item = itemResponse ? itemResponse.data : null;
  if (item) ctx.setTitle(item.name);
  const choices = categoryChoices(tree);
  const preset = new URLSearchParams(location.search).get("category");
  const values = item
    ? formValues(item)
    : { isActive: true, trackStock: false, stockQty: 0, sortOrder: 0, orderType: "", stationId: "", categoryId: preset || (choices[0] && choices[0].value) || "" };

  main.replaceChildren(back);
  if (!choices.length) {
    main.append(
      el("p", { class: "banner banner-warn" }, "An item needs a category first. ", el("a", { href: "/admin/categories", text: "Add a category" })),
    );
    return;
  }

  // ------------------------------------------------------------ status bar: sold out in one tap, duplicate
  const status = el("div", { class: "admin-actions-bar admin-item-status" });
  const badge = el("span", { id: "item-availability" });
  const soldOut = el("button", { type: "button", class: "btn admin-soldout-btn" });
  const duplicate = el("button", { type: "button", class: "btn", text: "Duplicate" });
  const paintStatus = (row) => {
    badge.replaceChildren(el("span", { class: "muted", text: "Now: " }), availabilityBadge(row));
    soldOut.textContent = row.isSoldOut ? "Back on sale" : "Mark sold out";
    soldOut.classList.toggle("is-sold-out", row.isSoldOut);
  };
  if (item) {
    paintStatus(item);
    status.append(badge, soldOut, duplicate);
    main.append(status);
  }
  soldOut.addEventListener("click", async () => {
    soldOut.disabled = true;
    const response = await api(`/api/menu/items/${encodeURIComponent(item.id)}/${item.isSoldOut ? "available" : "sold-out"}`, { method: "POST" });
    soldOut.disabled = false;
    if (!response.ok) return toast(response.error, { kind: "error" });
    item = { ...item, isSoldOut: response.data.isSoldOut, availability: response.data.availability };
    paintStatus(item);
    toast(item.isSoldOut ? `${item.name} is marked sold out.` : `${item.name} is on sale again.`, { kind: "success" });
  });
  duplicate.addEventListener("click", async () => {
    duplicate.disabled = true;
    const response = await api(`/api/menu/items/${encodeURIComponent(item.id)}/duplicate`, { method: "POST" });
    duplicate.disabled = false;
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(`Copied as “${response.data.name}”, hidden from guests until you show it.`, { kind: "success" });
    ctx.navigate(`/admin/menu/items/${encodeURIComponent(response.data.id)}`);
  });

  // ------------------------------------------------------------ the form
  const fields = [
    { name: "name", label: "Name", required: true, maxLength: 120 },
    item
      ? null
      : { name: "slug", label: "Address name", required: true, maxLength: 120, help: "Lower-case letters, digits and dashes, filled in from the name. It cannot change later." },
    { name: "description", label: "Description", type: "textarea", maxLength: 2000, nullable: true },
    { name: "price", label: "Price", type: "money", required: true, help: "For example 12.50." },
    { name: "categoryId", label: "Category", type: "select", options: choices },
    { name: "stationId", label: "Station", type: "select", options: stations, nullable: true, help: "The kitchen station that prepares it; by default the station of its category." },
    { name: "image", label: "Image address (URL)", nullable: true, help: "https://… or /static/…; leave empty for none." },
    { name: "isActive", label: "Shown to guests", type: "checkbox", help: "Untick to hide the item from the menu without deleting it." },
    { name: "trackStock", label: "Count stock", type: "checkbox", help: "Each order takes from the stock; at 0 the item shows as sold out." },
    { name: "stockQty", label: "In stock", type: "number", min: 0, max: 1000000, step: 1 },
    { name: "orderType", label: "Sold for", type: "select", options: ORDER_TYPES, nullable: true },
    { name: "sortOrder", label: "Position in its category", type: "number", min: 0, step: 1, help: "Lower numbers come first." },
  ].filter(Boolean);

  const extrasKey = { name: "menu item extras" };
  let extrasBaseline = "";
  const holder = el("div");
  main.append(holder);
  const allergens = checkboxGroup(
    "Allergens",
    "Guests read them on the menu.",
    (allergenResponse.ok ? allergenResponse.data : []).map((a) => ({ id: a.id, label: a.name })),
    new Set(item ? item.allergens.map((a) => a.id) : []),
  );
  const mealtimes = checkboxGroup(
    "Mealtimes",
    "Tick none to sell the item whenever the restaurant is open; otherwise only during the ticked mealtimes.",
    (mealtimeResponse.ok ? mealtimeResponse.data : []).map((m) => ({
      id: m.id,
      label: `${m.name} (${m.startTime}–${m.endTime}, ${m.days.map((d) => DAY_SHORT[d]).join(" ")})${m.isActive ? "" : " – switched off"}`,
    })),
    new Set(item ? item.mealtimes.map((m) => m.id) : []),
  );
  const extrasHolder = el("div", { class: "admin-item-extras" });
  const extrasSnapshot = () => JSON.stringify([allergens.ids(), mealtimes.ids(), editor.snapshot()]);
  const extrasChanged = () => setDirty(extrasKey, extrasSnapshot() !== extrasBaseline);
  const editor = createOptionsEditor(extrasHolder, { options: item ? item.options : [], onChange: extrasChanged });
  extrasHolder.prepend(allergens.fieldset, mealtimes.fieldset);
  for (const box of [allergens.fieldset, mealtimes.fieldset]) box.addEventListener("change", extrasChanged);

  const form = createForm(holder, {
    label: item ? `Edit ${item.name}` : "New menu item",
    fields,
    values,
    submitLabel: item ? "Save changes" : "Create item",
    submit: async (v) => {
      editor.clearErrors();
      const local = editor.problems();
      if (local.length) {
        editor.showErrors(local);
        return { ok: false, status: 400, error: "Please correct the marked options.", details: [] };
      }
      const body = {
        name: v.name,
        description: v.description,
        price: centsToAmount(v.price),
        categoryId: v.categoryId,
        stationId: v.stationId || null,
        image: v.image,
        isActive: v.isActive,
        trackStock: v.trackStock,
        stockQty: v.stockQty ?? 0,
        orderType: v.orderType,
        sortOrder: v.sortOrder ?? 0,
        options: editor.payload(),
        allergenIds: allergens.ids(),
        mealtimeIds: mealtimes.ids(),
      };
      if (!item) body.slug = v.slug;
      const response = item
        ? await api(`/api/menu/items/${encodeURIComponent(item.id)}`, { method: "PATCH", body })
        : await api("/api/menu/items", { method: "POST", body });
      if (response.ok || !Array.isArray(response.details)) return response;
      const rest = editor.showErrors(response.details);
      return { ...response, details: rest };
    },
    onSaved: (saved) => {
      extrasBaseline = extrasSnapshot();
      setDirty(extrasKey, false);
      if (!item) {
        form.markSaved();
        toast(`${saved.name} is on the menu.`, { kind: "success" });
        ctx.navigate(`/admin/menu/items/${encodeURIComponent(saved.id)}`, { replace: true });
        return undefined;
      }
      item = saved;
      ctx.setTitle(saved.name);
      paintStatus(saved);
      editor.reset(saved.options); // new groups and values now have their ids
      extrasBaseline = extrasSnapshot();
      toast("Changes saved.", { kind: "success" });
      return formValues(saved);
    },
  });
  form.form.insertBefore(extrasHolder, form.form.querySelector(".admin-form-error"));
  if (!item) followName(form.control("name"), form.control("slug"));
  extrasBaseline = extrasSnapshot();
  form.control("name").focus();
  return undefined;
}
