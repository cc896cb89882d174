// Small pieces the owner's screens share (dashboard, reports, metrics): words for the API's codes, figure cards,
// plain tables of numbers, the restaurant's today.

import { config, el } from "../common.js";

export const TYPE_TEXT = { DELIVERY: "Delivery", PICKUP: "Pickup", DINE_IN: "Dine-in" };
export const PAYMENT_TEXT = { CASH: "Cash", CARD: "Card", ONLINE: "Online", STRIPE: "Card (Stripe)", PAYPAL: "PayPal" };

/** "DINE_IN" -> "Dine-in" (an unknown code -> "Some code"). */
export function words(code, table = {}) {
  if (table[code]) return table[code];
  const text = String(code || "").replace(/_/g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether the logged-in staff member is a manager or an administrator. */
export function isManager(user) {
  return user && (user.role === "MANAGER" || user.role === "SUPER_ADMIN");
}

function zone() {
  return (config.site && config.site.general && config.site.general.timezone) || undefined;
}

/** Today in the restaurant's time zone, as YYYY-MM-DD. */
export function restaurantToday() {
  const parts = (timeZone) =>
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  try {
    return parts(zone());
  } catch {
    return parts(undefined);
  }
}

/** "2026-12-02" -> "Wed 2 Dec 2026" (the day as such: no time zone shift). */
export function dayText(day) {
  const [y, m, d] = String(day).split("-").map(Number);
  if (!y || !m || !d) return String(day);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString([], {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/**
 * A row of figure cards.
 * @param {Array<{label: string, value: string, note?: string, name?: string}>} figures - `name` is kept as
 *   data-figure (for tests and styling)
 */
export function figureCards(figures, label) {
  return el(
    "dl",
    { class: "admin-figures", "aria-label": label || null },
    figures.map((f) =>
      el(
        "div",
        { class: "admin-figure", dataset: f.name ? { figure: f.name } : {} },
        el("dt", { text: f.label }),
        el("dd", { class: "admin-figure-value", text: f.value }),
        f.note ? el("dd", { class: "admin-figure-note", text: f.note }) : null,
      ),
    ),
  );
}

/**
 * A plain table of numbers with a caption; the first column names the row (a row header).
 * @param {{caption: string, head: string[], rows: Array<Array<string|number|Node>>, numeric?: number[],
 *   empty?: string, captionHidden?: boolean, className?: string}} options - `numeric` are the indexes of
 *   right-aligned columns (default: all but the first)
 */
export function numberTable(options) {
  const numeric = new Set(options.numeric || options.head.map((_, i) => i).slice(1));
  if (!options.rows.length && options.empty) return el("p", { class: "admin-empty admin-empty-small", text: options.empty });
  return el(
    "div",
    { class: "admin-table-wrap", role: "region", "aria-label": options.caption, tabindex: "0" },
    el(
      "table",
      { class: `admin-table ${options.className || ""}`.trim() },
      el("caption", { class: options.captionHidden === false ? "admin-caption" : "visually-hidden", text: options.caption }),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          options.head.map((text, i) => el("th", { scope: "col", class: numeric.has(i) ? "admin-num" : null, text })),
        ),
      ),
      el(
        "tbody",
        {},
        options.rows.map((row) =>
          el(
            "tr",
            {},
            row.map((cell, i) =>
              el(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, class: numeric.has(i) ? "admin-num" : null }, cell instanceof Node ? cell : String(cell)),
            ),
          ),
        ),
      ),
    ),
  );
}

function titled(level, title, children) {
  const id = `admin-section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return el("section", { class: "admin-panel", "aria-labelledby": id }, el(level, { class: "admin-panel-title", id, text: title }), ...children);
}

/** A titled section of a screen (an h2). */
export function section(title, ...children) {
  return titled("h2", title, children);
}

/** A titled section inside a section (an h3). */
export function subsection(title, ...children) {
  return titled("h3", title, children);
}

/**
 * Give each cell of a list's table its column's heading as `data-label`, so that a narrow screen can show the
 * rows as stacked cards with a label per value (the `.admin-stack` styles). Call it from the list's `onLoad`.
 * @param {HTMLElement} root - the element holding the list
 */
export function labelCells(root) {
  const table = root.querySelector("table.admin-table");
  if (!table) return;
  const heads = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    Array.from(row.children).forEach((cell, index) => {
      cell.dataset.label = heads[index] || "";
    });
  }
}
