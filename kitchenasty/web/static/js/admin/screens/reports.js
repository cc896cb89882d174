// Reports: the end-of-day (Z) report of one location and restaurant-local day — orders, gross, discounts, net,
// tax, delivery fees, tips and total, by order type and payment method, cancellations apart — on screen, printable
// (the print stylesheet leaves only the report) and as CSV (GET /api/reports/z.csv, same figures).

import { api, el, formatDateTime, money } from "../../common.js";
import { PAYMENT_TEXT, TYPE_TEXT, dayText, numberTable, restaurantToday, subsection, words } from "../insights.js";

const COLUMNS = [
  ["orders", "Orders"],
  ["gross", "Gross"],
  ["discounts", "Discounts"],
  ["net", "Net"],
  ["tax", "Tax"],
  ["deliveryFees", "Delivery fees"],
  ["tips", "Tips"],
  ["total", "Total"],
];

function amountCells(amounts) {
  return COLUMNS.map(([key]) => (key === "orders" ? String(amounts.orders) : money(amounts[key])));
}

function breakdown(caption, first, entries, table) {
  return numberTable({
    caption,
    head: [first, ...COLUMNS.map(([, label]) => label)],
    rows: entries.map(([code, amounts]) => [words(code, table), ...amountCells(amounts)]),
    empty: "No orders.",
    className: "admin-report-table",
  });
}

function reportView(report) {
  const totals = report.totals;
  const c = report.cancellations;
  return el(
    "article",
    { class: "admin-report", "aria-labelledby": "report-title", id: "z-report" },
    el("h2", { class: "admin-report-title", id: "report-title", text: `Z report: ${report.locationName}, ${dayText(report.day)}` }),
    el(
      "p",
      { class: "muted admin-report-meta" },
      `Restaurant day in ${report.timeZone}; amounts in ${report.currency}; made ${formatDateTime(report.generatedAt)}.`,
    ),
    subsection(
      "Totals",
      numberTable({
        caption: "Totals",
        head: ["Figure", "Amount"],
        rows: [
          ["Orders", String(totals.orders)],
          ["Gross (items)", money(totals.gross)],
          ["Discounts", money(totals.discounts)],
          ["Net (gross less discounts)", money(totals.net)],
          ["Tax", money(totals.tax)],
          ["Delivery fees", money(totals.deliveryFees)],
          ["Tips", money(totals.tips)],
          ["Total charged", money(totals.total)],
        ],
        className: "admin-report-totals",
      }),
      el("p", { class: "muted", text: "Cancelled orders are not in these figures." }),
    ),
    subsection("By order type", breakdown("By order type", "Type", Object.entries(report.byType), TYPE_TEXT)),
    subsection(
      "By payment method",
      breakdown("By payment method", "Payment method", Object.entries(report.byPaymentMethod), PAYMENT_TEXT),
    ),
    subsection(
      "Cancellations",
      el(
        "p",
        { id: "report-cancellations" },
        c.orders === 0
          ? "No order was cancelled."
          : `${c.orders} ${c.orders === 1 ? "order was" : "orders were"} cancelled; ${c.orders === 1 ? "it" : "they"} would have come to ${money(c.total)}.`,
      ),
    ),
  );
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Reports");
  const query = new URLSearchParams(location.search);
  const locationSelect = el("select", { id: "report-location", name: "location", required: true });
  const dayInput = el("input", { id: "report-day", name: "date", type: "date", required: true, max: restaurantToday() });
  dayInput.value = query.get("date") || restaurantToday();
  const error = el("p", { class: "form-error", role: "alert", id: "report-error" });
  const form = el(
    "form",
    { class: "admin-filters admin-report-controls", "aria-label": "Which report" },
    el("div", { class: "admin-filter" }, el("label", { for: "report-location", text: "Location" }), locationSelect),
    el("div", { class: "admin-filter" }, el("label", { for: "report-day", text: "Day" }), dayInput),
    el("div", { class: "admin-filter admin-filter-actions" }, el("button", { type: "submit", class: "btn btn-primary", text: "Show the report" })),
  );
  const printButton = el("button", { type: "button", class: "btn", text: "Print" });
  printButton.addEventListener("click", () => window.print());
  const csv = el("a", { class: "btn", text: "Download CSV", download: "" });
  const actions = el("div", { class: "admin-actions-row admin-report-actions", hidden: true }, printButton, csv);
  const holder = el("div", { class: "admin-report-holder", "aria-live": "polite" });
  main.replaceChildren(
    el("p", { class: "admin-lead", text: "The end-of-day report of one location: what was sold and charged that day." }),
    form,
    error,
    actions,
    holder,
  );

  const locations = await api("/api/locations?limit=100");
  if (!locations.ok) {
    error.textContent = locations.error;
    return;
  }
  if (!locations.data.length) {
    holder.replaceChildren(el("p", { class: "admin-empty", text: "There is no location yet, so there is no report." }));
    form.hidden = true;
    return;
  }
  locationSelect.append(...locations.data.map((loc) => el("option", { value: loc.id, text: loc.name })));
  if (query.get("location") && locations.data.some((loc) => loc.id === query.get("location"))) {
    locationSelect.value = query.get("location");
  }

  async function show({ push = false } = {}) {
    error.textContent = "";
    dayInput.removeAttribute("aria-invalid");
    if (!dayInput.value) {
      error.textContent = "Choose the day of the report.";
      dayInput.setAttribute("aria-invalid", "true");
      dayInput.focus();
      return;
    }
    const params = new URLSearchParams({ locationId: locationSelect.value, date: dayInput.value });
    const address = `${location.pathname}?${new URLSearchParams({ location: locationSelect.value, date: dayInput.value })}`;
    if (push) history.pushState(null, "", address);
    else history.replaceState(null, "", address);
    holder.setAttribute("aria-busy", "true");
    const response = await api(`/api/reports/z?${params}`);
    holder.removeAttribute("aria-busy");
    if (!response.ok) {
      error.textContent = response.error;
      actions.hidden = true;
      holder.replaceChildren();
      if (response.details && response.details.some((d) => d.key === "date")) dayInput.setAttribute("aria-invalid", "true");
      return;
    }
    csv.href = `/api/reports/z.csv?${params}`;
    actions.hidden = false;
    holder.replaceChildren(reportView(response.data));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show({ push: true });
  });
  window.addEventListener("popstate", () => {
    const q = new URLSearchParams(location.search);
    if (q.get("location")) locationSelect.value = q.get("location");
    if (q.get("date")) dayInput.value = q.get("date");
    show();
  });
  await show();
}
