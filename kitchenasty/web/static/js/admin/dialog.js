// Modal dialogs on <dialog>: a confirmation, and a confirmation that asks for a text (a cancellation's reason).
// The page behind is inert while one is open, Tab cycles inside it, Escape answers "no", and focus goes back to
// whatever had it before.

import { el } from "../common.js";

let counter = 0;

const FOCUSABLE = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";

function trapFocus(dialog, event) {
  if (event.key !== "Tab") return;
  const items = Array.from(dialog.querySelectorAll(FOCUSABLE)).filter((node) => !node.disabled && node.offsetParent);
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

function open({ title, body, confirmLabel, cancelLabel, danger, field }) {
  counter += 1;
  const id = `admin-dialog-${counter}`;
  const opener = document.activeElement;
  const cancel = el("button", { type: "button", class: "btn", value: "cancel", text: cancelLabel || "Cancel" });
  const ok = el("button", {
    type: "submit",
    class: `btn ${danger ? "btn-danger" : "btn-primary"}`,
    value: "ok",
    text: confirmLabel || "OK",
  });
  const error = el("p", { class: "form-error", id: `${id}-error`, role: "alert" });
  const form = el(
    "form",
    { method: "dialog", novalidate: true },
    el("h2", { id: `${id}-title`, text: title }),
    body ? el("p", { id: `${id}-body`, text: body }) : null,
    field ? field.nodes(id) : null,
    error,
    el("div", { class: "dialog-actions" }, cancel, ok),
  );
  const dialog = el(
    "dialog",
    {
      class: "dialog admin-dialog",
      "aria-labelledby": `${id}-title`,
      "aria-describedby": body ? `${id}-body` : null,
    },
    form,
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = null;
    const finish = (value) => {
      answer = value;
      dialog.close();
    };
    cancel.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape: answer "no" through the same path
      finish(null);
    });
    dialog.addEventListener("keydown", (event) => trapFocus(dialog, event));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!field) {
        finish(true);
        return;
      }
      const problem = field.check();
      if (problem) {
        error.textContent = problem;
        field.input.setAttribute("aria-invalid", "true");
        field.input.focus();
        return;
      }
      finish(field.value());
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && typeof opener.focus === "function" && document.contains(opener)) opener.focus();
      resolve(answer);
    });
    dialog.showModal();
    (field ? field.input : danger ? cancel : ok).focus();
  });
}

/**
 * Ask a yes/no question in a modal dialog.
 * @param {{title: string, body?: string, confirmLabel?: string, cancelLabel?: string, danger?: boolean}} options -
 *   `danger` styles the confirm button red and puts the focus on "Cancel" first
 * @returns {Promise<boolean>} true when confirmed; false on Cancel or Escape
 */
export async function confirm(options) {
  return (await open(options)) === true;
}

/**
 * Ask for a text (e.g. the reason for a cancellation) in a modal dialog with a labelled textarea.
 * @param {{title: string, body?: string, label: string, help?: string, value?: string, required?: boolean,
 *   requiredMessage?: string, maxLength?: number, confirmLabel?: string, cancelLabel?: string, danger?: boolean}} options
 * @returns {Promise<string|null>} the trimmed text when confirmed, null on Cancel or Escape
 */
export async function promptText(options) {
  const { label, help, value = "", required = false, requiredMessage, maxLength = 500 } = options;
  let input = null;
  const field = {
    nodes(id) {
      input = el("textarea", {
        id: `${id}-text`,
        name: "text",
        rows: 3,
        maxlength: maxLength,
        required: required || null,
        "aria-describedby": [help ? `${id}-help` : "", `${id}-error`].filter(Boolean).join(" "),
      });
      input.value = value;
      field.input = input;
      return [
        el("label", { for: `${id}-text`, text: label }),
        input,
        help ? el("p", { class: "admin-help", id: `${id}-help`, text: help }) : null,
      ];
    },
    input: null,
    check() {
      const text = input.value.trim();
      if (required && !text) return requiredMessage || `Fill in “${label}” first.`;
      if (text.length > maxLength) return `Keep it under ${maxLength} characters.`;
      return "";
    },
    value() {
      return input.value.trim();
    },
  };
  const answer = await open({ ...options, field });
  return typeof answer === "string" ? answer : null;
}
