// Toasts: short messages in one aria-live region at the bottom of the back office (a screen reader reads them out;
// errors politely interrupt). Each stays 6 s (errors 10 s) or until dismissed.

import { el } from "../common.js";

let region = null;

function liveRegion() {
  if (region && document.body.contains(region)) return region;
  region = document.getElementById("admin-toasts");
  if (!region) {
    region = el("div", { id: "admin-toasts", class: "admin-toasts", role: "status", "aria-live": "polite" });
    document.body.append(region);
  }
  return region;
}

/**
 * Show a short message.
 * @param {string} text - a sentence ("Order #KA-12 cancelled.")
 * @param {{kind?: "info"|"success"|"error", timeout?: number}} [options] - `kind` styles it (and an error is
 *   announced assertively); `timeout` in ms (0 = stays until dismissed).
 * @returns {HTMLElement} the toast (remove it to dismiss early)
 */
export function toast(text, { kind = "info", timeout } = {}) {
  const host = liveRegion();
  const close = el("button", { type: "button", class: "admin-toast-close", "aria-label": "Dismiss", text: "×" });
  const item = el(
    "div",
    { class: `admin-toast admin-toast-${kind}`, role: kind === "error" ? "alert" : null },
    el("span", { class: "admin-toast-text", text }),
    close,
  );
  const remove = () => item.remove();
  close.addEventListener("click", remove);
  host.append(item);
  const wait = timeout === undefined ? (kind === "error" ? 10000 : 6000) : timeout;
  if (wait > 0) setTimeout(remove, wait);
  return item;
}
