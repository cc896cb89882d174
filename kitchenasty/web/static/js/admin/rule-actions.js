// The rule form's actions: one block per action (e-mail, text message, webhook) with the fields the API lists for
// its kind (GET /api/automation/events), an "insert a field" helper for the template fields, and a preview rendered
// by the server against the last real event of the rule's kind (POST /api/automation/preview; nothing is sent).

import { api, el } from "../common.js";

export const ACTION_KINDS = { email: "E-mail", sms: "Text message", webhook: "Webhook" };
const FIELD_TEXT = { to: "To", subject: "Subject", body: "Message", url: "Address (URL)", headers: "Extra headers" };
const HEADERS_HELP = "One per line, as Name: value (optional).";

/** A refusal about one field as a sentence naming it: ("Subject", "is required") -> "Subject is required." */
export function sentence(message, label = "") {
  let text = String(message || "").trim();
  if (label) text = /^[a-z]/.test(text) ? `${label} ${text}` : `${label}: ${text}`;
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** `{"X-Key": "abc"}` -> "X-Key: abc" (one per line). */
function headersText(headers) {
  return Object.entries(headers || {})
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}

/** "X-Key: abc" lines -> {"X-Key": "abc"}; a line without a colon -> null. */
function parseHeaders(text) {
  const out = {};
  for (const line of String(text || "").split("\n")) {
    if (!line.trim()) continue;
    const at = line.indexOf(":");
    if (at <= 0) return null;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/**
 * One action block.
 * @param {{index: number, action: object, kinds: object, paths: () => string[], eventName: () => string,
 *   onRemove: (block) => void, canRemove: () => boolean}} options - `kinds` maps an action type to its fields from
 *   the catalog; `paths` the current event's dot paths
 */
export function actionBlock(options) {
  const id = `rule-action-${options.index}-${Math.random().toString(36).slice(2, 8)}`;
  const legend = el("legend", {});
  const error = el("p", { class: "admin-field-error", id: `${id}-error`, hidden: true });
  const type = el("select", { id: `${id}-type` }, Object.entries(ACTION_KINDS).map(([value, text]) => el("option", { value, text })));
  type.value = options.action.type || "email";
  const fieldsBox = el("div", { class: "admin-rule-fields" });
  const insert = el("select", { id: `${id}-insert` });
  const insertField = el(
    "div",
    { class: "admin-field admin-rule-insert" },
    el("label", { for: `${id}-insert`, text: "Insert a field at the cursor" }),
    insert,
    el("p", { class: "admin-help", id: `${id}-insert-help`, text: "Adds {{path}}: the event's value there, when it is sent." }),
  );
  insert.setAttribute("aria-describedby", `${id}-insert-help`);
  const previewButton = el("button", { type: "button", class: "btn", text: "Preview with the last real event" });
  const preview = el("div", { class: "admin-rule-preview", "aria-live": "polite" });
  const remove = el("button", { type: "button", class: "btn btn-ghost", text: "Remove this action" });
  const block = el(
    "fieldset",
    { class: "admin-rule-block admin-rule-action" },
    legend,
    el("div", { class: "admin-field" }, el("label", { for: `${id}-type`, text: "Kind" }), type),
    fieldsBox,
    insertField,
    error,
    el("div", { class: "admin-form-actions" }, previewButton, remove),
    preview,
  );
  const controls = new Map();
  let lastTemplate = null;
  const values = { ...options.action };

  function drawFields() {
    for (const [name, control] of controls) values[name] = name === "headers" ? parseHeaders(control.value) ?? control.value : control.value;
    controls.clear();
    fieldsBox.replaceChildren();
    const fields = options.kinds[type.value] || [];
    for (const field of fields) {
      const controlId = `${id}-${field.name}`;
      const multiline = field.name === "body" || field.name === "headers";
      const control = multiline ? el("textarea", { id: controlId, rows: field.name === "body" ? 5 : 3 }) : el("input", { id: controlId, type: field.name === "url" ? "url" : "text" });
      if (field.maxLength) control.setAttribute("maxlength", String(field.maxLength));
      if (field.required) control.required = true;
      const current = values[field.name];
      control.value = field.name === "headers" ? (typeof current === "string" ? current : headersText(current)) : current ?? "";
      const help = field.name === "headers" ? HEADERS_HELP : field.help;
      const helpId = `${controlId}-help`;
      const fieldError = el("p", { class: "admin-field-error", id: `${controlId}-error`, hidden: true });
      control.setAttribute("aria-describedby", helpId);
      control.dataset.field = field.name;
      control.addEventListener("input", () => {
        if (control.getAttribute("aria-invalid") !== "true") return;
        control.removeAttribute("aria-invalid");
        control.setAttribute("aria-describedby", helpId);
        fieldError.hidden = true;
        fieldError.textContent = "";
      });
      if (field.template) {
        control.dataset.template = "true";
        control.addEventListener("focus", () => {
          lastTemplate = control;
        });
      }
      controls.set(field.name, control);
      fieldsBox.append(
        el(
          "div",
          { class: `admin-field admin-field-${multiline ? "textarea" : "text"}` },
          el("label", { for: controlId, text: `${FIELD_TEXT[field.name] || field.name}${field.required ? "" : " (optional)"}` }),
          control,
          el("p", { class: "admin-help", id: helpId, text: help }),
          fieldError,
        ),
      );
    }
    lastTemplate = null;
    insertField.hidden = !fields.some((f) => f.template);
    preview.replaceChildren();
  }

  function fillInsert() {
    insert.replaceChildren(el("option", { value: "", text: "Choose a field…" }), ...options.paths().map((path) => el("option", { value: path, text: path })));
  }

  insert.addEventListener("change", () => {
    if (!insert.value) return;
    const target = lastTemplate || [...controls.values()].find((c) => c.dataset.template === "true" && c.dataset.field !== "to");
    if (target) {
      const text = `{{${insert.value}}}`;
      const start = target.selectionStart ?? target.value.length;
      const end = target.selectionEnd ?? target.value.length;
      target.value = `${target.value.slice(0, start)}${text}${target.value.slice(end)}`;
      target.focus();
      target.setSelectionRange(start + text.length, start + text.length);
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    insert.value = "";
  });

  type.addEventListener("change", drawFields);
  remove.addEventListener("click", () => options.onRemove(handle));

  previewButton.addEventListener("click", async () => {
    const action = read();
    if (action === null) return;
    previewButton.disabled = true;
    preview.replaceChildren(el("p", { class: "muted", text: "Rendering…" }));
    const response = await api("/api/automation/preview", { method: "POST", body: { event: options.eventName(), action } });
    previewButton.disabled = false;
    if (!response.ok) {
      preview.replaceChildren(el("p", { class: "form-error", role: "alert", text: response.error }));
      return;
    }
    const data = response.data;
    if (!data.deliveries.length) {
      preview.replaceChildren(el("p", { class: "banner banner-warn", text: data.note || "Nothing would be sent." }));
      return;
    }
    const when = data.occurredAt ? new Date(data.occurredAt).toLocaleString() : "";
    preview.replaceChildren(
      el("h4", { class: "admin-rule-preview-title", text: `Preview: what the last ${data.event} event${when ? ` (${when})` : ""} would have sent` }),
      ...data.deliveries.map((d) =>
        el(
          "dl",
          { class: "admin-rule-preview-item" },
          el("dt", { text: "To" }),
          el("dd", { text: d.to }),
          d.subject ? el("dt", { text: d.channel === "webhook" ? "Event" : "Subject" }) : null,
          d.subject ? el("dd", { class: "admin-preview-subject", text: d.subject }) : null,
          d.text ? el("dt", { text: d.channel === "webhook" ? "Body (JSON)" : "Message" }) : null,
          d.text ? el("dd", {}, el("pre", { class: "admin-preview-text", text: d.text })) : null,
        ),
      ),
    );
  });

  /** The action as the API takes it, or null (with the problem marked) when a field cannot be read. */
  function read() {
    const out = { type: type.value };
    for (const [name, control] of controls) {
      if (name === "headers") {
        const headers = parseHeaders(control.value);
        if (headers === null) {
          markField(name, "must have one header per line, as Name: value");
          control.focus();
          return null;
        }
        if (Object.keys(headers).length) out.headers = headers;
      } else if (control.value.trim() || control.required) {
        out[name] = control.value.trim();
      }
    }
    return out;
  }

  function markField(name, message) {
    const control = controls.get(name);
    if (!control) {
      error.textContent = sentence(message, `Action ${name ? `(${name})` : ""}`.trim());
      error.hidden = false;
      return type;
    }
    const fieldError = document.getElementById(`${control.id}-error`);
    fieldError.textContent = sentence(message, FIELD_TEXT[name] || name);
    fieldError.hidden = false;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", `${control.id}-help ${fieldError.id}`);
    return control;
  }

  function clearErrors() {
    error.hidden = true;
    error.textContent = "";
    for (const control of controls.values()) {
      control.removeAttribute("aria-invalid");
      control.setAttribute("aria-describedby", `${control.id}-help`);
      const fieldError = document.getElementById(`${control.id}-error`);
      if (fieldError) {
        fieldError.hidden = true;
        fieldError.textContent = "";
      }
    }
  }

  drawFields();
  fillInsert();
  const handle = {
    element: block,
    peek: () => [type.value, ...Array.from(controls.values(), (c) => c.value)],
    read,
    markField,
    clearErrors,
    setIndex(index) {
      legend.textContent = `Action ${index + 1}`;
      remove.hidden = !options.canRemove();
      remove.setAttribute("aria-label", `Remove action ${index + 1}`);
    },
    eventChanged: fillInsert,
  };
  return handle;
}
