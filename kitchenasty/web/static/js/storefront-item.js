// The storefront's item dialog: options with their limits, quantity, a note; adds the chosen line to the cart.

import { $, el, money } from "./common.js";
import { cartChanged } from "./storefront-cart.js";
import { MAX_QTY, state } from "./storefront-state.js";

// ------------------------------------------------------------------ item dialog

function isSingle(option) {
  return option.displayType === "SELECT" || option.displayType === "RADIO";
}

function limits(option) {
  const min = Math.max(option.minSelect || 0, option.isRequired ? 1 : 0);
  let max = option.maxSelect && option.maxSelect > 0 ? option.maxSelect : Infinity;
  if (isSingle(option)) max = 1;
  return { min, max };
}

function hint(option) {
  const { min, max } = limits(option);
  if (isSingle(option)) return option.isRequired ? "Required" : "Optional";
  if (min && max !== Infinity) return min === max ? `Choose ${min}` : `Choose ${min} to ${max}`;
  if (min) return `Choose at least ${min}`;
  if (max !== Infinity) return `Optional, up to ${max}`;
  return "Optional";
}

function byOrder(a, b) {
  return (a.sortOrder || 0) - (b.sortOrder || 0);
}

function modifierText(value) {
  const amount = Number(value.priceModifier || 0);
  if (!amount) return "";
  return amount > 0 ? ` (+${money(amount)})` : ` (−${money(-amount)})`;
}

export function openItem(item, opener) {
  const dialog = $("#item-dialog");
  const options = (item.options || []).slice().sort(byOrder);
  const selected = new Map();
  state.dialog = { item, options, selected, quantity: 1, opener: opener || document.activeElement };
  $("#item-title").textContent = item.name;
  $("#item-description").textContent = item.description || "";
  $("#item-price").textContent = money(item.price);
  const allergens = (item.allergens || []).map((allergen) => allergen.name).join(", ");
  $("#item-allergens").textContent = allergens ? `Contains: ${allergens}` : "";
  $("#item-comment").value = "";
  $("#item-error").textContent = "";
  $("#qty-value").textContent = "1";
  const container = $("#item-options");
  container.replaceChildren(
    ...options.map((option) => {
      const values = (option.values || []).slice().sort(byOrder);
      const chosen = new Set(values.filter((value) => value.isDefault).map((value) => value.id));
      if (isSingle(option) && chosen.size > 1) chosen.clear();
      if (isSingle(option) && option.isRequired && chosen.size === 0 && values.length) chosen.add(values[0].id);
      selected.set(option.id, chosen);
      return renderOption(option, values, chosen);
    }),
  );
  syncOptionLimits();
  dialog.showModal();
}

function renderOption(option, values, chosen) {
  const legendId = `opt-${option.id}-legend`;
  const hintEl = el("span", { class: "option-hint", id: `opt-${option.id}-hint`, text: hint(option) });
  const fieldset = el(
    "fieldset",
    { class: "option", dataset: { optionId: option.id }, "aria-describedby": `opt-${option.id}-hint` },
    el("legend", { id: legendId }, option.name, " ", hintEl),
  );
  if (option.displayType === "SELECT") {
    const select = el(
      "select",
      { id: `opt-${option.id}`, "aria-labelledby": legendId },
      option.isRequired ? null : el("option", { value: "", text: "None" }),
      values.map((value) =>
        el("option", { value: value.id, selected: chosen.has(value.id), text: `${value.name}${modifierText(value)}` }),
      ),
    );
    select.addEventListener("change", () => {
      chosen.clear();
      if (select.value) chosen.add(select.value);
      syncOptionLimits();
    });
    fieldset.append(select);
    return fieldset;
  }
  const single = isSingle(option);
  const inputs = values.map((value) => {
    const input = el("input", {
      type: single ? "radio" : "checkbox",
      name: `opt-${option.id}`,
      value: value.id,
      checked: chosen.has(value.id),
    });
    input.addEventListener("change", () => {
      if (single) chosen.clear();
      if (input.checked) chosen.add(value.id);
      else chosen.delete(value.id);
      syncOptionLimits();
    });
    return el("label", { class: "check" }, input, el("span", { text: `${value.name}${modifierText(value)}` }));
  });
  if (single && !option.isRequired) {
    const none = el("input", { type: "radio", name: `opt-${option.id}`, value: "", checked: chosen.size === 0 });
    none.addEventListener("change", () => {
      chosen.clear();
      syncOptionLimits();
    });
    inputs.unshift(el("label", { class: "check" }, none, el("span", { text: "None" })));
  }
  fieldset.append(...inputs);
  return fieldset;
}

/** Multi-choice options stop accepting ticks at their maximum. */
function syncOptionLimits() {
  const dialog = state.dialog;
  if (!dialog) return;
  for (const option of dialog.options) {
    if (isSingle(option)) continue;
    const { max } = limits(option);
    const chosen = dialog.selected.get(option.id);
    const fieldset = $(`fieldset[data-option-id="${CSS.escape(option.id)}"]`);
    for (const input of fieldset.querySelectorAll("input[type=checkbox]")) {
      input.disabled = !input.checked && chosen.size >= max;
    }
  }
}

function optionProblems() {
  const dialog = state.dialog;
  const problems = [];
  for (const option of dialog.options) {
    const { min, max } = limits(option);
    const count = dialog.selected.get(option.id).size;
    const fieldset = $(`fieldset[data-option-id="${CSS.escape(option.id)}"]`);
    let problem = "";
    if (count < min) problem = min === 1 ? `Choose ${option.name}.` : `Choose at least ${min} for ${option.name}.`;
    else if (count > max) problem = `Choose at most ${max} for ${option.name}.`;
    fieldset.toggleAttribute("aria-invalid", Boolean(problem));
    fieldset.classList.toggle("is-invalid", Boolean(problem));
    if (problem) problems.push({ problem, fieldset });
  }
  return problems;
}

export function wireItemDialog() {
  const dialog = $("#item-dialog");
  $("#qty-minus").addEventListener("click", () => setDialogQty(state.dialog.quantity - 1));
  $("#qty-plus").addEventListener("click", () => setDialogQty(state.dialog.quantity + 1));
  $("#item-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    const opener = state.dialog && state.dialog.opener;
    state.dialog = null;
    if (opener && opener.isConnected) opener.focus();
  });
  $("#item-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const problems = optionProblems();
    if (problems.length) {
      $("#item-error").textContent = problems.map((p) => p.problem).join(" ");
      const focusable = problems[0].fieldset.querySelector("input:not([disabled]), select");
      if (focusable) focusable.focus();
      return;
    }
    addToCart();
    dialog.close();
  });
}

function setDialogQty(quantity) {
  state.dialog.quantity = Math.max(1, Math.min(MAX_QTY, quantity));
  $("#qty-value").textContent = String(state.dialog.quantity);
}

function addToCart() {
  const { item, options, selected, quantity } = state.dialog;
  const chosen = [];
  for (const option of options) {
    for (const value of (option.values || []).slice().sort(byOrder)) {
      if (selected.get(option.id).has(value.id)) chosen.push({ menuOptionValueId: value.id, name: option.name, value: value.name });
    }
  }
  const comment = $("#item-comment").value.trim();
  const key = [item.id, ...chosen.map((c) => c.menuOptionValueId).sort(), comment].join("|");
  const existing = state.lines.find((line) => line.key === key);
  if (existing) existing.quantity = Math.min(MAX_QTY, existing.quantity + quantity);
  else state.lines.push({ key, menuItemId: item.id, name: item.name, quantity, comment, options: chosen });
  cartChanged();
}
