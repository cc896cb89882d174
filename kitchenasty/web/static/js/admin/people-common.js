// Small pieces the staff, customer, coupon and settings screens share: roles in words, badges, a list of facts,
// a date in the restaurant's time zone, and a link panel with a copy button (an invitation or a password-reset
// link an administrator hands over).

import { config, el } from "../common.js";

export const ROLE_TEXT = { SUPER_ADMIN: "Administrator", MANAGER: "Manager", STAFF: "Staff" };

export const ROLE_OPTIONS = [
  { value: "STAFF", label: "Staff (kitchen and service)" },
  { value: "MANAGER", label: "Manager" },
  { value: "SUPER_ADMIN", label: "Administrator" },
];

/** A short coloured label; `kind` is one of ok, off, warn, info, neutral. */
export function badge(text, kind = "neutral") {
  return el("span", { class: `admin-badge admin-badge-${kind}`, text });
}

export function activeBadge(isActive, { on = "Active", off = "Deactivated" } = {}) {
  return badge(isActive ? on : off, isActive ? "ok" : "off");
}

/** A description list of [term, value] pairs (a value may be a node; empty values show a dash). */
export function facts(pairs, label) {
  return el(
    "dl",
    { class: "admin-facts", "aria-label": label || null },
    pairs.flatMap(([term, value]) => [
      el("dt", { text: term }),
      el("dd", {}, value === null || value === undefined || value === "" ? "—" : value),
    ]),
  );
}

function zone() {
  return (config.site && config.site.general && config.site.general.timezone) || undefined;
}

/** "12 Mar 2025" in the restaurant's time zone. */
export function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const options = { day: "numeric", month: "short", year: "numeric" };
  try {
    return date.toLocaleDateString([], { ...options, timeZone: zone() });
  } catch {
    return date.toLocaleDateString([], options);
  }
}

/** "2025-03-12": the calendar day of `iso` in the restaurant's time zone (for a date input). */
export function dayOf(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const parts = (tz) =>
    new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: tz }).format(date);
  try {
    return parts(zone());
  } catch {
    return parts(undefined);
  }
}

let counter = 0;

/**
 * A panel showing a link to hand over, with a copy button. The clipboard API needs a secure context (https or
 * localhost) and the person's permission; where it is missing or refused, the link is selected so Ctrl+C copies it.
 * @param {{heading: string, sentence: string, url: string, label: string, kind?: "ok"|"warn"}} options
 * @returns {HTMLElement}
 */
export function linkPanel({ heading, sentence, url, label, kind = "ok" }) {
  counter += 1;
  const id = `admin-link-${counter}`;
  const input = el("input", { id, type: "text", readonly: true, value: url, spellcheck: "false", class: "admin-link-input" });
  const status = el("p", { class: "admin-help admin-link-status", role: "status", "aria-live": "polite" });
  const copy = el("button", { type: "button", class: "btn", text: "Copy link" });
  copy.addEventListener("click", async () => {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
      await navigator.clipboard.writeText(url);
      status.textContent = "Link copied.";
    } catch {
      input.focus();
      input.select();
      status.textContent = "The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    }
  });
  input.addEventListener("focus", () => input.select());
  return el(
    "section",
    { class: `admin-link-panel admin-link-panel-${kind}`, "aria-labelledby": `${id}-title` },
    el("h3", { id: `${id}-title`, text: heading }),
    el("p", { text: sentence }),
    el("label", { for: id, text: label }),
    el("div", { class: "admin-link-row" }, input, copy),
    status,
  );
}

/** A row of action buttons. */
export function actions(...buttons) {
  return el("div", { class: "admin-actions" }, buttons);
}

/** A button; `more` is read out after the visible text (" for Ada Lovelace"), so the name stays unique in a list. */
export function button(text, onClick, { kind = "", more = "" } = {}) {
  const node = el(
    "button",
    { type: "button", class: `btn${kind ? ` btn-${kind}` : ""}` },
    text,
    more ? el("span", { class: "visually-hidden", text: more }) : null,
  );
  node.addEventListener("click", onClick);
  return node;
}

/** A banner saying why something could not be loaded (the API's sentence). */
export function problem(text) {
  return el("p", { class: "banner banner-error", role: "alert", text });
}
