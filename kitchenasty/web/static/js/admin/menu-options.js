// An item's option groups edited inline: each group's name, kind of choice, required/min/max, and its values with
// their price modifiers (negative for a discount) and default. Groups and values keep their ids, so the API keeps
// the same rows (orders point at them); those removed here are retired by the API.

import { el } from "../common.js";
import { amountToCents, centsToAmount, centsToText, textToCents } from "./form.js";

const KINDS = [
  { value: "SELECT", label: "A list: one choice" },
  { value: "RADIO", label: "Buttons: one choice" },
  { value: "CHECKBOX", label: "Tick boxes: several choices" },
  { value: "QUANTITY", label: "Quantities" },
];

let counter = 0;
const uid = () => `admin-opt-${++counter}`;

function fromApi(options) {
  return (options || []).map((group) => ({
    key: uid(),
    id: group.id,
    name: group.name,
    displayType: group.displayType || "SELECT",
    isRequired: Boolean(group.isRequired),
    minSelect: group.minSelect ?? 0,
    maxSelect: group.maxSelect ?? 1,
    values: (group.values || []).map((value) => ({
      key: uid(),
      id: value.id,
      name: value.name,
      modifier: centsToText(amountToCents(value.priceModifier)),
      isDefault: Boolean(value.isDefault),
    })),
  }));
}

function emptyValue() {
  return { key: uid(), name: "", modifier: "", isDefault: false };
}

/**
 * Build the option groups editor inside `root`.
 * @param {HTMLElement} root
 * @param {{options: object[], onChange: () => void}} settings - `options` as the API shows an item's
 * @returns {{payload: () => object[], problems: () => Array<{key: string, message: string}>,
 *   showErrors: (details: Array<{key?: string, message: string}>) => Array<{key?: string, message: string}>,
 *   clearErrors: () => void, reset: (options: object[]) => void, snapshot: () => string}}
 */
export function createOptionsEditor(root, { options, onChange }) {
  let groups = fromApi(options);
  const controls = new Map(); // "options.0.values.1.name" -> control
  const box = el("div", { class: "admin-options" });
  const addGroup = el("button", { type: "button", class: "btn", text: "Add an option group" });
  root.append(
    el(
      "fieldset",
      { class: "admin-fieldset" },
      el("legend", { text: "Options" }),
      el("p", { class: "admin-help", text: "What a guest chooses with this item, such as a size or toppings. A required group must be answered before the item goes in the cart." }),
      box,
      addGroup,
    ),
  );
  addGroup.addEventListener("click", () => {
    groups.push({ key: uid(), name: "", displayType: "SELECT", isRequired: false, minSelect: 0, maxSelect: 1, values: [emptyValue()] });
    render();
    onChange();
    controls.get(`options.${groups.length - 1}.name`).focus();
  });

  function field(label, control, key, help) {
    control.id = control.id || uid();
    const error = el("p", { class: "admin-field-error", id: `${control.id}-error`, hidden: true });
    const helpNode = help ? el("p", { class: "admin-help", id: `${control.id}-help`, text: help }) : null;
    if (helpNode) control.setAttribute("aria-describedby", helpNode.id);
    control.dataset.key = key;
    controls.set(key, control);
    if (control.type === "checkbox") {
      return el("div", { class: "admin-field admin-field-checkbox" }, el("label", { class: "check", for: control.id }, control, el("span", { text: label })), helpNode, error);
    }
    return el("div", { class: "admin-field" }, el("label", { for: control.id, text: label }), control, helpNode, error);
  }

  function bind(control, apply) {
    control.addEventListener(control.type === "checkbox" || control.tagName === "SELECT" ? "change" : "input", () => {
      apply(control.type === "checkbox" ? control.checked : control.value);
      onChange();
    });
    return control;
  }

  function renderValue(group, gi, value, vi) {
    const base = `options.${gi}.values.${vi}`;
    const name = bind(el("input", { type: "text", maxlength: 120, autocomplete: "off" }), (v) => (value.name = v));
    name.value = value.name;
    const modifier = bind(el("input", { type: "text", inputmode: "decimal", autocomplete: "off" }), (v) => (value.modifier = v));
    modifier.value = value.modifier;
    const isDefault = bind(el("input", { type: "checkbox" }), (v) => (value.isDefault = v));
    isDefault.checked = value.isDefault;
    const remove = el("button", { type: "button", class: "btn btn-ghost" }, "Remove", el("span", { class: "visually-hidden", text: ` choice ${vi + 1} of ${group.name || `group ${gi + 1}`}` }));
    remove.addEventListener("click", () => {
      group.values.splice(vi, 1);
      render();
      onChange();
      const next = controls.get(`options.${gi}.values.${Math.min(vi, group.values.length - 1)}.name`) || box.querySelector(`[data-add-value="${gi}"]`);
      if (next) next.focus();
    });
    return el(
      "li",
      { class: "admin-option-value" },
      field(`Choice ${vi + 1}`, name, `${base}.name`),
      field("Extra price", modifier, `${base}.priceModifier`),
      field("Chosen at first", isDefault, `${base}.isDefault`),
      el("div", { class: "admin-option-remove" }, remove),
    );
  }

  function renderGroup(group, gi) {
    const base = `options.${gi}`;
    const name = bind(el("input", { type: "text", maxlength: 120, autocomplete: "off" }), (v) => (group.name = v));
    name.value = group.name;
    const kind = bind(el("select", {}, KINDS.map((k) => el("option", { value: k.value, text: k.label }))), (v) => (group.displayType = v));
    kind.value = group.displayType;
    const required = bind(el("input", { type: "checkbox" }), (v) => (group.isRequired = v));
    required.checked = group.isRequired;
    const min = bind(el("input", { type: "number", min: 0, max: 100, step: 1 }), (v) => (group.minSelect = v));
    min.value = String(group.minSelect);
    const max = bind(el("input", { type: "number", min: 1, max: 100, step: 1 }), (v) => (group.maxSelect = v));
    max.value = String(group.maxSelect);
    const addValue = el("button", { type: "button", class: "btn", dataset: { addValue: String(gi) } }, "Add a choice", el("span", { class: "visually-hidden", text: ` to ${group.name || `group ${gi + 1}`}` }));
    addValue.addEventListener("click", () => {
      group.values.push(emptyValue());
      render();
      onChange();
      controls.get(`${base}.values.${group.values.length - 1}.name`).focus();
    });
    const remove = el("button", { type: "button", class: "btn btn-ghost admin-danger-text" }, "Remove this group", el("span", { class: "visually-hidden", text: ` (${group.name || `group ${gi + 1}`})` }));
    remove.addEventListener("click", () => {
      groups.splice(gi, 1);
      render();
      onChange();
      addGroup.focus();
    });
    const legendId = uid();
    return el(
      "fieldset",
      { class: "admin-option-group", "aria-labelledby": legendId },
      el("legend", { id: legendId, text: `Option group ${gi + 1}${group.name ? `: ${group.name}` : ""}` }),
      el(
        "div",
        { class: "admin-grid" },
        field("Group name", name, `${base}.name`, "As guests read it, e.g. Size."),
        field("How guests choose", kind, `${base}.displayType`),
        field("Guests must choose", required, `${base}.isRequired`),
        field("At least", min, `${base}.minSelect`, "Choices needed (0: none)."),
        field("At most", max, `${base}.maxSelect`, "Choices allowed."),
      ),
      el("p", { class: "admin-help", text: "Extra price: empty or 0 for none, a minus for a discount (e.g. -0.50)." }),
      el("ul", { class: "admin-option-values" }, group.values.map((value, vi) => renderValue(group, gi, value, vi))),
      el("div", { class: "admin-form-actions" }, addValue, remove),
    );
  }

  function render() {
    controls.clear();
    box.replaceChildren(
      ...(groups.length ? groups.map(renderGroup) : [el("p", { class: "muted", text: "No options: the item is ordered as it is." })]),
    );
  }

  function payload() {
    return groups.map((group) => ({
      ...(group.id ? { id: group.id } : {}),
      name: group.name.trim(),
      displayType: group.displayType,
      isRequired: group.isRequired,
      minSelect: Number(group.minSelect === "" ? 0 : group.minSelect),
      maxSelect: Number(group.maxSelect === "" ? 1 : group.maxSelect),
      values: group.values.map((value) => {
        const cents = textToCents(value.modifier);
        return {
          ...(value.id ? { id: value.id } : {}),
          name: value.name.trim(),
          priceModifier: cents === null || Number.isNaN(cents) ? "0.00" : centsToAmount(cents),
          isDefault: value.isDefault,
        };
      }),
    }));
  }

  /** What can be said before asking the server: an extra price that is not an amount, an empty name. */
  function problems() {
    const found = [];
    groups.forEach((group, gi) => {
      if (!group.name.trim()) found.push({ key: `options.${gi}.name`, message: "Give the group a name." });
      if (!group.values.length) found.push({ key: `options.${gi}.name`, message: "Add at least one choice to this group." });
      group.values.forEach((value, vi) => {
        if (!value.name.trim()) found.push({ key: `options.${gi}.values.${vi}.name`, message: "Give the choice a name." });
        if (Number.isNaN(textToCents(value.modifier))) {
          found.push({ key: `options.${gi}.values.${vi}.priceModifier`, message: "Enter an amount such as 1.50 or -0.50." });
        }
      });
    });
    return found;
  }

  function clearErrors() {
    for (const control of controls.values()) {
      const error = document.getElementById(`${control.id}-error`);
      if (error) {
        error.textContent = "";
        error.hidden = true;
      }
      control.removeAttribute("aria-invalid");
      const help = document.getElementById(`${control.id}-help`);
      if (help) control.setAttribute("aria-describedby", help.id);
      else control.removeAttribute("aria-describedby");
    }
  }

  /** Mark the details that name an option's field; returns the others. The first marked control gets the focus. */
  function showErrors(details) {
    clearErrors();
    const rest = [];
    let first = null;
    for (const detail of details || []) {
      const key = String(detail.key || "").replace(/^\$\.?/, "").replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
      const control = controls.get(key) || (key.startsWith("options.") ? controls.get(key.split(".").slice(0, 2).join(".") + ".name") : null);
      if (!control) {
        rest.push(detail);
        continue;
      }
      const error = document.getElementById(`${control.id}-error`);
      let message = String(detail.message || "").trim();
      if (/^[a-z]/.test(message)) message = `This ${message}`;
      if (!/[.!?]$/.test(message)) message += ".";
      if (error && !error.textContent) {
        error.textContent = message;
        error.hidden = false;
        control.setAttribute("aria-invalid", "true");
        const help = document.getElementById(`${control.id}-help`);
        control.setAttribute("aria-describedby", [help ? help.id : "", error.id].filter(Boolean).join(" "));
      }
      if (!first) first = control;
    }
    if (first) first.focus();
    return rest;
  }

  render();
  return {
    payload,
    problems,
    showErrors,
    clearErrors,
    reset(next) {
      groups = fromApi(next);
      render();
    },
    snapshot: () => JSON.stringify(payload()),
  };
}
