// What the orders screens share: status words and badges, the buttons' labels, the transition table the server
// sent (config.screenConfig.transitions, from kitchenasty/orders/checks.py), and contact details.

import { STATUS_TEXT, api, el } from "../../../common.js";

export const OPEN_STATUSES = "PENDING,CONFIRMED,PREPARING,READY,OUT_FOR_DELIVERY";

export const TYPE_TEXT = { DELIVERY: "Delivery", PICKUP: "Pickup", DINE_IN: "Dine-in" };

const ACTIONS = {
  CONFIRMED: () => "Confirm",
  PREPARING: () => "Start preparing",
  READY: () => "Mark ready",
  OUT_FOR_DELIVERY: () => "Out for delivery",
  PICKED_UP: () => "Picked up",
  DELIVERED: (order) => (order.orderType === "DINE_IN" ? "Served" : "Delivered"),
};

export function statusText(status) {
  return STATUS_TEXT[status] || status;
}

export function statusBadge(status) {
  return el("span", { class: `admin-status admin-status-${String(status).toLowerCase()}`, text: statusText(status) });
}

/** The statuses staff may move `order` to, by the server's table (CANCELLED last). */
export function targets(config, order) {
  const table = (config.screenConfig && config.screenConfig.transitions) || {};
  return ((table[order.orderType] || {})[order.status] || []).slice();
}

export function actionLabel(order, status) {
  return (ACTIONS[status] || (() => `Mark ${statusText(status).toLowerCase()}`))(order);
}

export function partyName(order) {
  return order.customerName || order.guestName || (order.customer && order.customer.name) || "Guest";
}

/** The e-mail and phone to reach the guest: the customer account's, else what the guest typed. */
export function contact(order) {
  const customer = order.customer || {};
  return {
    name: partyName(order),
    email: customer.email || order.guestEmail || "",
    phone: customer.phone || order.guestPhone || "",
    account: Boolean(order.customerId),
  };
}

export function addressLines(address) {
  if (!address) return [];
  return [
    address.line1,
    address.line2,
    [address.postalCode, address.city].filter(Boolean).join(" "),
    address.state,
  ].filter(Boolean);
}

export async function loadOrder(id) {
  return api(`/api/orders/${encodeURIComponent(id)}`);
}
