// The printable receipt of one order: the restaurant and location, number and time, each line with its options,
// the totals and the payment method. "Print" opens the browser's print dialog; the print stylesheet leaves only
// the receipt on the paper.

import { api, config, el, formatDateTime, money, optionText, typeLabel } from "../../../common.js";
import { addressLines, contact, loadOrder, statusText } from "./shared.js";

function line(label, amount, className) {
  return el("div", { class: `admin-receipt-line ${className || ""}` }, el("span", { text: label }), el("span", { text: money(amount) }));
}

/** @param {HTMLElement} main @param {object} ctx @param {string} id */
export async function mountReceipt(main, ctx, id) {
  const response = await loadOrder(id);
  if (!response.ok) {
    ctx.setTitle("Receipt");
    main.replaceChildren(el("p", { class: "banner banner-error", role: "alert", text: response.status === 404 ? "There is no order with this address." : response.error }));
    return;
  }
  const order = response.data;
  ctx.setTitle(`Receipt #${order.orderNumber}`);
  const place = await api(`/api/locations/${encodeURIComponent(order.locationId)}`);
  const location = place.ok ? place.data : null;
  const who = contact(order);
  const print = el("button", { type: "button", class: "btn btn-primary", text: "Print", onclick: () => window.print() });
  const receipt = el(
    "article",
    { class: "admin-receipt", "aria-label": `Receipt for order #${order.orderNumber}` },
    el("h2", { class: "admin-receipt-name", text: config.restaurant }),
    location
      ? el(
          "p",
          { class: "admin-receipt-place" },
          location.name,
          el("br"),
          [location.address, [location.postalCode, location.city].filter(Boolean).join(" ")].filter(Boolean).join(", "),
          location.phone ? [el("br"), `Tel. ${location.phone}`] : null,
        )
      : null,
    el(
      "p",
      { class: "admin-receipt-meta" },
      `Order #${order.orderNumber}`,
      el("br"),
      formatDateTime(order.createdAt),
      el("br"),
      `${typeLabel(order)} · ${who.name}`,
      order.status === "CANCELLED" ? [el("br"), el("strong", { text: `${statusText(order.status).toUpperCase()}` })] : null,
    ),
    order.orderType === "DELIVERY" && order.deliveryAddress
      ? el("p", { class: "admin-receipt-address" }, addressLines(order.deliveryAddress).join(", "))
      : null,
    el(
      "ul",
      { class: "admin-receipt-items" },
      order.items.filter((item) => !item.voided).map((item) =>
        el(
          "li",
          {},
          el("div", { class: "admin-receipt-line" }, el("span", { text: `${item.quantity} × ${item.name}` }), el("span", { text: money(item.subtotal) })),
          item.options && item.options.length ? el("div", { class: "admin-receipt-sub", text: optionText(item.options) }) : null,
          item.comment ? el("div", { class: "admin-receipt-sub", text: item.comment }) : null,
        ),
      ),
    ),
    el(
      "div",
      { class: "admin-receipt-totals" },
      line("Subtotal", order.subtotal),
      order.discount ? line(order.couponCode ? `Discount (${order.couponCode})` : "Discount", -order.discount) : null,
      order.orderType === "DELIVERY" ? line("Delivery fee", order.deliveryFee) : null,
      line(order.taxRate ? `Tax (${order.taxRate}%)` : "Tax", order.tax),
      order.tip ? line("Tip", order.tip) : null,
      line("Total", order.total, "admin-receipt-total"),
    ),
    el("p", { class: "admin-receipt-pay", text: `Payment: ${String(order.paymentMethod || "").replace(/_/g, " ").toLowerCase()}` }),
    el("p", { class: "admin-receipt-thanks", text: "Thank you!" }),
  );
  main.replaceChildren(
    el(
      "div",
      { class: "admin-receipt-tools admin-no-print" },
      print,
      el("a", { class: "btn", href: `/admin/orders/${encodeURIComponent(order.id)}`, text: "Back to the order" }),
    ),
    receipt,
  );
  document.body.classList.add("admin-printing-receipt");
}
