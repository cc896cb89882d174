// How the guest pays, at checkout: cash, card (Stripe's hosted Checkout: a top-level navigation to Stripe's page,
// so no script of Stripe's runs here and the CSP stays strict) or PayPal, as the payment settings allow. The order is
// placed first; paying online follows at once, and the tracking page offers it again if it was interrupted.

import { $, api, config, el } from "./common.js";

const payments = (config.site && config.site.payments) || {};

function choices() {
  const out = [];
  if (payments.cashEnabled !== false) out.push(["CASH", "Cash when you receive it"]);
  if (payments.stripeEnabled) out.push(["STRIPE", "Card (on Stripe's secure page)"]);
  if (payments.paypalEnabled) out.push(["PAYPAL", "PayPal"]);
  return out.length ? out : [["CASH", "Cash when you receive it"]];
}

export function setupPayment() {
  const options = choices();
  const field = $("#pay-field");
  if (!field || options.length < 2) return;
  field.hidden = false;
  $("#pay-options").replaceChildren(
    ...options.map(([value, label], i) =>
      el("label", { class: "pill" }, el("input", { type: "radio", name: "paymentMethod", value, checked: i === 0 }), el("span", { text: label })),
    ),
  );
}

/** The method chosen (the only one offered when there is no choice). */
export function paymentMethod() {
  const checked = document.querySelector("input[name=paymentMethod]:checked");
  return checked ? checked.value : choices()[0][0];
}

/** After placing `order`: go to the provider's page for an online payment. False when there is nothing to do here
 * (cash) or it could not start (the tracking page then says so and offers to pay again). */
export async function startPayment(order) {
  const body = { orderId: order.id, trackingToken: order.trackingToken };
  if (order.paymentMethod === "STRIPE") {
    const response = await api("/api/payments/create-checkout-session", { method: "POST", body });
    if (response.ok && response.data && response.data.url) {
      location.assign(response.data.url);
      return true;
    }
  } else if (order.paymentMethod === "PAYPAL") {
    const response = await api("/api/payments/paypal/create", { method: "POST", body });
    if (response.ok && response.data && response.data.approvalUrl) {
      location.assign(response.data.approvalUrl);
      return true;
    }
  }
  return false;
}
