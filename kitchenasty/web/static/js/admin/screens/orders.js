// Orders: the list (filters and search in the address, newest first).

import { STATUS_TEXT, el, formatDateTime, money, typeLabel } from "../../common.js";
import { createList } from "../list.js";

export const OPEN_STATUSES = "PENDING,CONFIRMED,PREPARING,READY,OUT_FOR_DELIVERY";

const STATUS_OPTIONS = [
  { value: OPEN_STATUSES, label: "Open (not finished)" },
  ...Object.entries(STATUS_TEXT).map(([value, label]) => ({ value, label })),
];

const TYPE_OPTIONS = [
  { value: "DELIVERY", label: "Delivery" },
  { value: "PICKUP", label: "Pickup" },
  { value: "DINE_IN", label: "Dine-in" },
];

function statusBadge(order) {
  return el("span", { class: `admin-status admin-status-${order.status.toLowerCase()}`, text: STATUS_TEXT[order.status] || order.status });
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Orders");
  createList(main, {
    label: "Orders",
    noun: ["order", "orders"],
    endpoint: "/api/orders",
    navigate: ctx.navigate,
    search: { label: "Order number", help: "Part of the number is enough, e.g. 004." },
    filters: [
      { name: "status", label: "Status", options: STATUS_OPTIONS, allLabel: "Any status" },
      { name: "orderType", label: "Type", options: TYPE_OPTIONS, allLabel: "Any type" },
    ],
    columns: [
      { label: "Number", value: (o) => `#${o.orderNumber}` },
      { label: "Placed", value: (o) => formatDateTime(o.createdAt) },
      { label: "Type", value: (o) => typeLabel(o) },
      { label: "Customer", value: (o) => o.customerName || o.guestName || "Guest" },
      { label: "Status", value: statusBadge },
      { label: "Total", value: (o) => money(o.total), align: "end" },
    ],
    empty: "No orders match these filters.",
  });
}
