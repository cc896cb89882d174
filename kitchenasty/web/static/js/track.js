// Order tracking: progress steps for the order's type, items and totals, live over the order's room.

import { $, LiveSocket, STATUS_TEXT, config, describeRetry, el, formatDateTime, money, optionText, typeLabel } from "./common.js";
import { paymentWords, renderPayment } from "./track-payment.js";

const STEPS = {
  DELIVERY: [
    ["PENDING", "Placed"],
    ["CONFIRMED", "Confirmed"],
    ["PREPARING", "Preparing"],
    ["READY", "Ready"],
    ["OUT_FOR_DELIVERY", "Out for delivery"],
    ["DELIVERED", "Delivered"],
  ],
  PICKUP: [
    ["PENDING", "Placed"],
    ["CONFIRMED", "Confirmed"],
    ["PREPARING", "Preparing"],
    ["READY", "Ready for pickup"],
    ["PICKED_UP", "Picked up"],
  ],
  DINE_IN: [
    ["PENDING", "Placed"],
    ["CONFIRMED", "Confirmed"],
    ["PREPARING", "Preparing"],
    ["READY", "Ready"],
    ["DELIVERED", "Served"],
  ],
};

const HEADLINES = {
  PENDING: "We have your order and will confirm it shortly.",
  CONFIRMED: "Your order is confirmed.",
  PREPARING: "Your order is being prepared.",
  READY: { DELIVERY: "Your order is ready and waiting for the driver.", PICKUP: "Your order is ready for pickup!", DINE_IN: "Your order is ready." },
  OUT_FOR_DELIVERY: "Your order is on its way.",
  DELIVERED: { DELIVERY: "Your order has been delivered. Enjoy!", DINE_IN: "Your order has been served. Enjoy!" },
  PICKED_UP: "Your order has been picked up. Enjoy!",
  CANCELLED: "This order was cancelled.",
};

const params = new URLSearchParams(location.search);
const tracking = params.get("t");
let current = null;

function headline(order) {
  const text = HEADLINES[order.status];
  if (!text) return STATUS_TEXT[order.status] || order.status;
  return typeof text === "string" ? text : text[order.orderType] || Object.values(text)[0];
}

function render(order) {
  if (current && current.updatedAt && order.updatedAt && order.updatedAt < current.updatedAt) return;
  current = order;
  $("#track-loading").hidden = true;
  $("#track-error").hidden = true;
  $("#track-order").hidden = false;
  $("#order-number").textContent = `#${order.orderNumber}`;
  document.body.dataset.status = order.status;
  $("#status-headline").textContent = headline(order);

  const steps = STEPS[order.orderType] || STEPS.PICKUP;
  const index = steps.findIndex(([status]) => status === order.status);
  const list = $("#steps");
  if (order.status === "CANCELLED") {
    list.replaceChildren(el("li", { class: "step step-cancelled", "aria-current": "step", text: "Cancelled" }));
  } else {
    list.replaceChildren(
      ...steps.map(([status, label], i) =>
        el("li", {
          class: `step ${i < index ? "step-done" : i === index ? "step-current" : "step-todo"}`,
          "aria-current": i === index ? "step" : null,
          dataset: { status },
          text: label,
        }),
      ),
    );
  }

  const facts = [["Type", typeLabel(order)]];
  if (order.scheduledAt) facts.push(["Scheduled for", formatDateTime(order.scheduledAt)]);
  if (order.deliveryAddress) {
    const a = order.deliveryAddress;
    facts.push(["Address", [a.line1, a.line2, a.postalCode, a.city].filter(Boolean).join(", ")]);
  }
  if (order.location) facts.push(["Restaurant", order.location.name]);
  facts.push(["Placed", formatDateTime(order.createdAt)]);
  facts.push(["Payment", paymentWords(order)]);
  renderPayment(order);
  $("#facts").replaceChildren(...facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));

  $("#items").replaceChildren(
    ...order.items.map((item) =>
      el(
        "li",
        { class: "line" },
        el("span", { class: "line-qty", text: `${item.quantity}×` }),
        el(
          "span",
          { class: "line-main" },
          el("span", { class: "line-name", text: item.name }),
          item.options && item.options.length ? el("span", { class: "line-options", text: optionText(item.options) }) : null,
          item.comment ? el("span", { class: "line-note", text: item.comment }) : null,
        ),
        el("span", { class: "line-price", text: money(item.subtotal) }),
      ),
    ),
  );
  const totals = [["Subtotal", order.subtotal]];
  if (order.discount) totals.push([order.couponCode ? `Discount (${order.couponCode})` : "Discount", -order.discount]);
  if (order.deliveryFee) totals.push(["Delivery fee", order.deliveryFee]);
  if (order.tax) totals.push(["Tax", order.tax]);
  if (order.tip) totals.push(["Tip", order.tip]);
  totals.push(["Total", order.total]);
  $("#totals").replaceChildren(
    ...totals.flatMap(([term, value], i) => [
      el("dt", { class: i === totals.length - 1 ? "total" : null, text: term }),
      el("dd", { class: i === totals.length - 1 ? "total" : null, text: value < 0 ? `−${money(-value)}` : money(value) }),
    ]),
  );
}

function fail(message) {
  $("#track-loading").hidden = true;
  $("#track-order").hidden = !current;
  const error = $("#track-error");
  error.textContent = message;
  error.hidden = false;
}

let retryTimer = null;

function onState(kind, detail) {
  clearInterval(retryTimer);
  const conn = $("#conn");
  conn.dataset.state = kind === "live" ? "live" : kind === "refused" ? "offline" : "connecting";
  $("#conn-text").textContent = kind === "live" ? "Live" : kind === "refused" ? "Not live" : "Reconnecting…";
  const banner = $("#offline-banner");
  banner.hidden = !(kind === "offline" || kind === "reconnecting");
  if (kind === "offline" && detail.retryAt) {
    const update = () => {
      $("#offline-text").textContent = `Updates will resume by themselves. ${describeRetry(detail.retryAt)}`;
    };
    update();
    retryTimer = setInterval(update, 500);
  }
}

function start() {
  const query = tracking ? `?tracking=${encodeURIComponent(tracking)}` : "";
  const socket = new LiveSocket(`/api/ws/orders/${encodeURIComponent(config.orderId)}${query}`, {
    onSnapshot: render,
    onEvent: (event, order) => {
      if ((event === "order.statusUpdate" || event === "order.paymentUpdate") && order && order.id === config.orderId) render(order);
    },
    onState,
    onRefused: (code) => {
      if (code === 4404) fail("We could not find this order. Check that you opened the whole link from your confirmation.");
      else if (code === 4403) fail("This order belongs to another account.");
      else fail("Open the link from your order confirmation, or log in, to follow this order.");
    },
  });
  socket.start();
}

start();
