// "Done today": the orders that left the board today (handed over, delivered, on the road, cancelled), newest
// first, each with a Recall button that undoes its last move (POST /api/orders/{id}/recall, within the recall
// window): an order picked up by mistake comes back to the board on every screen.

import { $, STATUS_TEXT, api, el, formatTime } from "./common.js";

const LEFT_BOARD = "OUT_FOR_DELIVERY,DELIVERED,PICKED_UP,CANCELLED";

let open = false;

export function setupDone({ board, onLeave }) {
  const button = $("#done-btn");
  const panel = $("#done-panel");
  button.addEventListener("click", () => {
    open = !open;
    button.setAttribute("aria-pressed", open ? "true" : "false");
    panel.hidden = !open;
    board.hidden = open;
    if (open) {
      load();
      $("#done-title").focus();
    } else {
      onLeave();
    }
  });
  $("#done-list").addEventListener("click", async (event) => {
    const recall = event.target.closest("button[data-recall]");
    if (!recall) return;
    recall.disabled = true;
    const response = await api(`/api/orders/${encodeURIComponent(recall.dataset.recall)}/recall`, { method: "POST" });
    const note = $("#done-note");
    note.textContent = response.ok
      ? `Order #${response.data.orderNumber} is back on the board (${STATUS_TEXT[response.data.status] || response.data.status}).`
      : `Order #${recall.dataset.number} was not recalled: ${response.error}`;
    note.dataset.kind = response.ok ? "ok" : "error";
    load();
  });
}

export function doneOpen() {
  return open;
}

/** Today's date on this device (the kitchen's), as the orders list's `from` filter takes it. */
function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export async function load() {
  if (!open) return;
  const list = $("#done-list");
  const response = await api(`/api/orders?status=${LEFT_BOARD}&from=${today()}&limit=100`);
  if (!response.ok) {
    list.replaceChildren(el("li", { class: "done-empty", text: response.error }));
    return;
  }
  const orders = response.data || [];
  if (!orders.length) {
    list.replaceChildren(el("li", { class: "done-empty", text: "No order has left the board today." }));
    return;
  }
  list.replaceChildren(...orders.map(row));
}

function row(order) {
  const cancelled = order.status === "CANCELLED";
  return el(
    "li",
    { class: `done-row${cancelled ? " is-cancelled" : ""}`, dataset: { id: order.id } },
    el("span", { class: "done-number", text: `#${order.orderNumber}` }),
    el("span", { class: "done-who", text: order.customerName || order.guestName || "Guest" }),
    el("span", { class: "done-status", text: STATUS_TEXT[order.status] || order.status }),
    el("span", { class: "done-time", text: formatTime(order.updatedAt) }),
    cancelled
      ? el("span", { class: "done-recall-none", text: "Cannot be recalled" })
      : el("button", {
          type: "button",
          class: "btn btn-recall",
          dataset: { recall: order.id, number: order.orderNumber },
          "aria-label": `Recall order #${order.orderNumber}`,
          text: "Recall",
        }),
  );
}
