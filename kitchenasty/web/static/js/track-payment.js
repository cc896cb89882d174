// The tracking page's payment box: the order's payment state in words, and "Pay now by card" while it is unpaid and
// card payments are on (a top-level navigation to Stripe's hosted page: no script of Stripe's on our pages).

import { $, api, config, el } from "./common.js";

const payments = (config.site && config.site.payments) || {};
const params = new URLSearchParams(location.search);

export const PAYMENT_TEXT = {
  UNPAID: "Not paid yet",
  PENDING: "Payment started, not confirmed yet",
  PAID: "Paid",
  PARTIALLY_REFUNDED: "Paid, partly refunded",
  REFUNDED: "Refunded",
};

const METHOD_TEXT = { CASH: "cash when you receive it", STRIPE: "card, online", PAYPAL: "PayPal" };

/** One line for the facts list: "Paid" / "Not paid yet (cash when you receive it)". */
export function paymentWords(order) {
  const state = PAYMENT_TEXT[order.paymentStatus] || PAYMENT_TEXT.UNPAID;
  const how = METHOD_TEXT[order.paymentMethod];
  return order.paymentStatus === "UNPAID" && how ? `${state} (${how})` : state;
}

let paying = false;

async function payByCard(order, button) {
  if (paying) return;
  paying = true;
  button.disabled = true;
  button.textContent = "Opening the card payment…";
  const response = await api("/api/payments/create-checkout-session", {
    method: "POST",
    body: { orderId: order.id, trackingToken: params.get("t") || undefined },
  });
  if (response.ok && response.data && response.data.url) {
    location.assign(response.data.url);
    return;
  }
  paying = false;
  button.disabled = false;
  button.textContent = "Pay now by card";
  $("#pay-note").textContent = response.error || "The card payment could not be started; please try again.";
}

let captured = false;

/** Back from PayPal (`?paid=paypal&token=<PayPal order>`): capture the approved payment, once. */
async function captureOnReturn(order) {
  if (captured || params.get("paid") !== "paypal" || !params.get("token")) return;
  captured = true;
  const response = await api("/api/payments/paypal/capture", {
    method: "POST",
    body: { paypalOrderId: params.get("token"), orderId: order.id, trackingToken: params.get("t") || undefined },
  });
  if (!response.ok) $("#pay-note").textContent = `${response.error}. ${(response.details || []).map((d) => d.message).join(" ")}`.trim();
}

/** Draw the payment box for `order` (called on every render of the tracking page). */
export function renderPayment(order) {
  const box = $("#pay-box");
  if (!box) return;
  const state = order.paymentStatus || "UNPAID";
  const open = (state === "UNPAID" || state === "PENDING") && order.status !== "CANCELLED";
  let note = "";
  if (state === "PAID") note = "Thank you: your payment has arrived.";
  else if (params.get("paid") && open) note = "Thank you: we are waiting for the confirmation of your payment. This page updates by itself.";
  else if (params.get("payment") === "cancelled" && open) note = "The card payment was cancelled; nothing was charged.";
  const button =
    open && payments.stripeEnabled && !params.get("paid")
      ? el("button", { type: "button", class: "btn btn-primary", id: "pay-card", text: "Pay now by card" })
      : null;
  if (button) button.addEventListener("click", () => payByCard(order, button));
  box.hidden = false;
  box.replaceChildren(
    el("h2", { id: "pay-title", text: "Payment" }),
    el("p", { class: `pay-state pay-state-${state.toLowerCase()}`, id: "pay-state", dataset: { payment: state }, text: PAYMENT_TEXT[state] || state }),
    el("p", { class: "muted", id: "pay-note", role: "status", text: note }),
    ...(button ? [button] : []),
  );
  if (open) captureOnReturn(order);
}
