// Forms built from field specs: visible labels and help, the API called on submit, the error envelope's `details`
// shown next to each field (aria-invalid + aria-describedby, focus on the first), a form-level sentence for the
// rest, and unsaved changes tracked so leaving asks first (see leave.js).

import { config, el } from "../common.js";
import { setDirty } from "./leave.js";

export { confirmLeave, hasUnsavedChanges } from "./leave.js";

/**
 * @typedef {object} Field
 * @property {string} name - the value's name; dotted names ("address.line1") build nested values
 * @property {string} label - the visible label (the control's accessible name)
 * @property {"text"|"number"|"money"|"textarea"|"select"|"checkbox"|"date"|"time"|"email"|"password"} [type]
 * @property {string} [help] - a sentence under the control
 * @property {string} [key] - the API's name in error `details` when it differs from `name`
 * @property {boolean} [required]
 * @property {boolean} [nullable] - an empty text/select gives null rather than ""
 * @property {Array<{value: string, label: string}>} [options] - a select's choices
 * @property {number} [min] @property {number} [max] @property {number|string} [step]
 * @property {number} [maxLength] @property {number} [rows] @property {string} [placeholder]
 * @property {string} [autocomplete] @property {string} [inputmode]
 */

/**
 * Money is held in minor units (integer cents) and shown as a decimal ("1299" <-> "12.99"), converted with integer
 * arithmetic only (never `* 100` on a float).
 * @param {number|null} cents
 * @returns {string}
 */
export function centsToText(cents) {
  if (cents === null || cents === undefined || cents === "") return "";
  const value = Math.trunc(Number(cents));
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * "12.5" -> 1250, "12,50" -> 1250, "-3" -> -300; "" -> null; anything else (more than two decimals, letters) ->
 * NaN.
 * @param {string} text
 * @returns {number|null}
 */
export function textToCents(text) {
  const raw = String(text ?? "").trim();
  if (raw === "") return null;
  const match = /^(-)?(\d{1,12})(?:[.,](\d{0,2}))?$/.exec(raw);
  if (!match) return Number.NaN;
  const cents = parseInt(match[2], 10) * 100 + parseInt((match[3] || "").padEnd(2, "0"), 10);
  return match[1] ? -cents : cents;
}

/**
 * An amount as the API sends it (major units, a JSON number such as 12.99) in cents, through its decimal text.
 * @param {number|string|null} amount
 * @returns {number|null}
 */
export function amountToCents(amount) {
  if (amount === null || amount === undefined || amount === "") return null;
  const text = typeof amount === "number" ? amount.toFixed(2) : String(amount);
  return textToCents(text);
}

/**
 * Cents as the API takes an amount: a decimal string such as "12.99" (exact; the server reads it as a Decimal).
 * @param {number|null} cents
 * @returns {string|null}
 */
export function centsToAmount(cents) {
  return cents === null || cents === undefined ? null : centsToText(cents);
}

function getPath(object, name) {
  return name.split(".").reduce((value, part) => (value === null || value === undefined ? undefined : value[part]), object);
}

function setPath(object, name, value) {
  const parts = name.split(".");
  let target = object;
  for (const part of parts.slice(0, -1)) {
    if (typeof target[part] !== "object" || target[part] === null) target[part] = {};
    target = target[part];
  }
  target[parts[parts.length - 1]] = value;
}

/** "$.address.line1" / "address[0].line1" / "body.name" -> "address.line1" / "address.0.line1" / "name". */
function normaliseKey(key) {
  return String(key || "")
    .replace(/^\$\.?/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^\./, "");
}

function sentence(field, message) {
  let text = String(message || "").trim();
  const key = field.key || field.name;
  const tail = key.split(".").pop();
  for (const prefix of [key, tail]) {
    if (text.toLowerCase().startsWith(`${prefix.toLowerCase()} `)) {
      text = text.slice(prefix.length + 1);
      break;
    }
  }
  if (/^[a-z]/.test(text)) text = `${field.label} ${text}`;
  if (!/[.!?]$/.test(text)) text += ".";
  return text;
}

let counter = 0;

/**
 * Build a form inside `root`.
 * @param {HTMLElement} root
 * @param {{fields: Field[], values?: object, submit: (values: object) => Promise<{ok: boolean, status: number,
 *   data?: any, error?: string, details?: Array<{key?: string, message: string}>}>, submitLabel?: string,
 *   savingLabel?: string, onSaved?: (data: any, values: object) => (object|void), cancel?: {label: string,
 *   onClick: () => void}, label?: string, trackChanges?: boolean}} options - `submit` calls the API (usually
 *   `(values) => api(path, {method, body})`); `onSaved` may return the values to hold as saved (e.g. the server's
 *   answer); `trackChanges` (default true) warns before leaving with unsaved changes
 * @returns {{form: HTMLFormElement, control: (name: string) => HTMLElement, values: () => object,
 *   setValues: (values: object) => void, showErrors: (details: Array<{key?: string, message: string}>,
 *   fallback?: string) => boolean, clearErrors: () => void, isDirty: () => boolean, markSaved: () => void,
 *   submit: () => Promise<boolean>, destroy: () => void}}
 */
export function createForm(root, options) {
  counter += 1;
  const id = `admin-form-${counter}`;
  const fields = options.fields;
  const track = options.trackChanges !== false;
  const controls = new Map();
  const errors = new Map();
  const formError = el("p", { class: "form-error admin-form-error", id: `${id}-error`, role: "alert" });
  const submitButton = el("button", { type: "submit", class: "btn btn-primary", text: options.submitLabel || "Save" });
  const form = el("form", { class: "admin-form card-form", id, novalidate: true, "aria-label": options.label || null });
  let baseline = "";
  let saving = false;

  for (const field of fields) {
    const type = field.type || "text";
    const controlId = `${id}-${field.name.replace(/\W/g, "-")}`;
    const help = field.help ? el("p", { class: "admin-help", id: `${controlId}-help`, text: field.help }) : null;
    const error = el("p", { class: "admin-field-error", id: `${controlId}-error`, hidden: true });
    let control;
    if (type === "textarea") {
      control = el("textarea", { rows: field.rows || 3 });
    } else if (type === "select") {
      control = el("select", {}, (field.options || []).map((o) => el("option", { value: o.value, text: o.label })));
    } else if (type === "checkbox") {
      control = el("input", { type: "checkbox" });
    } else if (type === "money") {
      control = el("input", { type: "text", inputmode: "decimal", autocomplete: "off" });
    } else if (type === "number") {
      control = el("input", { type: "number", step: field.step ?? "any" });
    } else {
      control = el("input", { type });
    }
    control.id = controlId;
    control.name = field.name;
    for (const [attribute, value] of [
      ["min", field.min],
      ["max", field.max],
      ["maxlength", field.maxLength],
      ["placeholder", field.placeholder],
      ["autocomplete", field.autocomplete],
      ["inputmode", field.inputmode],
    ]) {
      if (value !== undefined && value !== null) control.setAttribute(attribute, String(value));
    }
    if (field.required) control.required = true;
    if (help) control.setAttribute("aria-describedby", help.id);
    controls.set(field.name, control);
    errors.set(field.name, error);
    const label = el("label", { for: controlId, text: field.label });
    let wrapper;
    if (type === "checkbox") {
      label.className = "check";
      label.replaceChildren(control, el("span", { text: field.label }));
      wrapper = el("div", { class: "admin-field admin-field-checkbox" }, label, help, error);
    } else if (type === "money") {
      const currency = (config.site && config.site.general && config.site.general.defaultCurrency) || "";
      wrapper = el(
        "div",
        { class: "admin-field admin-field-money" },
        label,
        el("div", { class: "admin-money" }, currency ? el("span", { class: "admin-money-unit", "aria-hidden": "true", text: currency }) : null, control),
        help,
        error,
      );
    } else {
      wrapper = el("div", { class: `admin-field admin-field-${type}` }, label, control, help, error);
    }
    form.append(wrapper);
  }

  const actions = el("div", { class: "admin-form-actions" }, submitButton);
  if (options.cancel) {
    actions.append(el("button", { type: "button", class: "btn", text: options.cancel.label, onclick: options.cancel.onClick }));
  }
  form.append(formError, actions);
  root.append(form);

  function readField(field) {
    const control = controls.get(field.name);
    const type = field.type || "text";
    if (type === "checkbox") return control.checked;
    if (type === "money") return textToCents(control.value);
    if (type === "number") {
      if (control.value === "") return control.validity && control.validity.badInput ? Number.NaN : null;
      return Number(control.value);
    }
    if (type === "password") return control.value;
    const text = type === "select" ? control.value : control.value.trim();
    return text === "" && field.nullable ? null : text;
  }

  function values() {
    const out = {};
    for (const field of fields) setPath(out, field.name, readField(field));
    return out;
  }

  function setValues(next) {
    for (const field of fields) {
      const control = controls.get(field.name);
      const value = getPath(next || {}, field.name);
      const type = field.type || "text";
      if (type === "checkbox") control.checked = Boolean(value);
      else if (type === "money") control.value = centsToText(value);
      else control.value = value === null || value === undefined ? "" : String(value);
    }
    markSaved();
  }

  function snapshot() {
    return JSON.stringify(values(), (_, v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v));
  }

  function isDirty() {
    return snapshot() !== baseline;
  }

  function markSaved() {
    baseline = snapshot();
    if (track) setDirty(form, false);
  }

  function clearErrors() {
    formError.textContent = "";
    for (const field of fields) {
      const control = controls.get(field.name);
      const error = errors.get(field.name);
      error.textContent = "";
      error.hidden = true;
      control.removeAttribute("aria-invalid");
      const help = field.help ? `${control.id}-help` : "";
      if (help) control.setAttribute("aria-describedby", help);
      else control.removeAttribute("aria-describedby");
    }
  }

  function markInvalid(field, message) {
    const control = controls.get(field.name);
    const error = errors.get(field.name);
    error.textContent = message;
    error.hidden = false;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [field.help ? `${control.id}-help` : "", error.id].filter(Boolean).join(" "));
  }

  /** Show the API's `details` next to their fields; the rest (or `fallback`) as the form's sentence. Returns
   * whether any field was marked (the first one gets the focus). */
  function showErrors(details, fallback) {
    clearErrors();
    const leftover = [];
    let first = null;
    for (const detail of details || []) {
      const key = normaliseKey(detail.key);
      const field = fields.find((f) => normaliseKey(f.key || f.name) === key) || fields.find((f) => key && normaliseKey(f.key || f.name).endsWith(`.${key}`));
      if (field && key) {
        if (!errors.get(field.name).textContent) markInvalid(field, sentence(field, detail.message));
        if (!first) first = field;
      } else if (detail.message) {
        leftover.push(detail.message);
      }
    }
    if (first) {
      formError.textContent = leftover.length ? leftover.join(" ") : "Please correct the marked fields.";
      // in form order, the first marked field gets the focus
      const firstInForm = fields.find((f) => !errors.get(f.name).hidden);
      controls.get(firstInForm.name).focus();
      return true;
    }
    formError.textContent = fallback || leftover.join(" ") || "That did not work. Please try again.";
    return false;
  }

  function localProblems() {
    const problems = [];
    for (const field of fields) {
      const value = readField(field);
      if (typeof value === "number" && Number.isNaN(value)) {
        problems.push({
          key: field.key || field.name,
          message: field.type === "money" ? "Enter an amount such as 12.50." : "Enter a number.",
        });
      }
    }
    return problems;
  }

  async function submit() {
    if (saving) return false;
    const local = localProblems();
    if (local.length) {
      showErrors(local);
      return false;
    }
    clearErrors();
    saving = true;
    submitButton.disabled = true;
    form.setAttribute("aria-busy", "true");
    const label = submitButton.textContent;
    submitButton.textContent = options.savingLabel || "Saving…";
    const current = values();
    let response;
    try {
      response = await options.submit(current);
    } finally {
      saving = false;
      submitButton.disabled = false;
      submitButton.textContent = label;
      form.removeAttribute("aria-busy");
    }
    if (response && response.ok) {
      const kept = options.onSaved ? options.onSaved(response.data, current) : undefined;
      if (kept && typeof kept === "object") setValues(kept);
      else markSaved();
      return true;
    }
    const details = response && Array.isArray(response.details) ? response.details : [];
    if (response && [400, 409, 422].includes(response.status) && details.length) showErrors(details, response.error);
    else showErrors([], (response && response.error) || "That did not work. Please try again.");
    return false;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  const onChange = () => {
    if (track) setDirty(form, isDirty());
  };
  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);

  setValues(options.values || {});

  return {
    form,
    control: (name) => controls.get(name),
    values,
    setValues,
    showErrors,
    clearErrors,
    isDirty,
    markSaved,
    submit,
    destroy() {
      setDirty(form, false);
      form.remove();
    },
  };
}
