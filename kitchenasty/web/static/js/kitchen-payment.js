// The payment part of a kitchen card: whether the order is paid, in words, and a "Mark paid" control opening a
// small dialog (cash with the amount received and the change to give, or card on site). The card turns "Paid"
// when the server's `order.paymentUpdate` (or `order.statusUpdate`) arrives on the kitchen room.

import { api, el, money } from "./common.js";

export const PAYMENT_WORDS = {
  UNPAID: "Not paid",
  PENDING: "Payment pending",
  PAID: "Paid",
  PARTIALLY_REFUNDED: "Partly refunded",
  REFUNDED: "Refunded",
};

const OPEN = new Set(["UNPAID", "PENDING"]);

/** "12.50" or "12,5" as cents (no floats); null when it is not an amount with at most two decimals. */
export function textToCents(text) {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(String(text || ""));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
}

const centsOf = (amount) => textToCents(String(amount)) ?? Math.round(Number(amount) * 100);

/** The order's payment state and its words ("Not paid"). */
function paymentState(order) {
  const status = order.paymentStatus || "UNPAID";
  return { status, words: PAYMENT_WORDS[status] || status };
}

/** The badge (and, while unpaid, the "Mark paid" button) for one order's card. */
export function paymentBadge(order) {
  const { status, words } = paymentState(order);
  const badge = el("span", { class: `pay-badge pay-${status.toLowerCase()}`, dataset: { payment: status }, text: words });
  const button = OPEN.has(status)
    ? el("button", {
        type: "button",
        class: "btn btn-pay",
        dataset: { focusKey: `${order.id}:pay` },
        "aria-label": `Mark paid: order #${order.orderNumber}`,
        text: "Mark paid",
        onclick: () => openDialog(order),
      })
    : null;
  return el("div", { class: "ticket-payment" }, badge, button);
}

/**
 * The same state as one small chip for the card's header, shown only in compact mode (CSS), where the payment row
 * would cost a ticket per column: while unpaid the chip is the button that opens the dialog.
 */
export function paymentChip(order) {
  const { status, words } = paymentState(order);
  const props = { class: `pay-chip pay-${status.toLowerCase()}`, dataset: { payment: status }, text: words };
  if (!OPEN.has(status)) return el("span", props);
  return el("button", {
    ...props,
    type: "button",
    dataset: { payment: status, focusKey: `${order.id}:paychip` },
    "aria-label": `${words}: mark order #${order.orderNumber} paid`,
    onclick: () => openDialog(order),
  });
}

let dialog = null;

function buildDialog() {
  const node = el(
    "dialog",
    { class: "dialog pay-dialog", id: "pay-dialog", "aria-labelledby": "pay-title" },
    el(
      "form",
      { method: "dialog", novalidate: true },
      el("h2", { id: "pay-title" }),
      el("p", { id: "pay-total" }),
      el(
        "fieldset",
        { class: "pay-methods" },
        el("legend", { text: "How did the guest pay?" }),
        el("label", { class: "pill" }, el("input", { type: "radio", name: "pay-method", value: "CASH", checked: true }), el("span", { text: "Cash" })),
        el("label", { class: "pill" }, el("input", { type: "radio", name: "pay-method", value: "CARD_ON_SITE" }), el("span", { text: "Card on site" })),
      ),
      el(
        "div",
        { class: "field", id: "pay-received-field" },
        el("label", { for: "pay-received", text: "Amount received" }),
        el("input", { id: "pay-received", name: "received", inputmode: "decimal", autocomplete: "off", "aria-describedby": "pay-change" }),
        el("p", { class: "pay-change", id: "pay-change", "aria-live": "polite" }),
      ),
      el("p", { class: "form-error", id: "pay-error", role: "alert" }),
      el(
        "div",
        { class: "dialog-actions" },
        el("button", { type: "button", class: "btn", value: "cancel", text: "Cancel", onclick: () => node.close("cancel") }),
        el("button", { type: "submit", class: "btn btn-primary", id: "pay-submit", value: "pay", text: "Mark paid" }),
      ),
    ),
  );
  document.body.append(node);
  return node;
}

function method() {
  const checked = dialog.querySelector("input[name=pay-method]:checked");
  return checked ? checked.value : "CASH";
}

function openDialog(order) {
  dialog = dialog || buildDialog();
  const total = centsOf(order.total);
  const received = dialog.querySelector("#pay-received");
  const change = dialog.querySelector("#pay-change");
  const error = dialog.querySelector("#pay-error");
  dialog.querySelector("#pay-title").textContent = `Mark order #${order.orderNumber} paid`;
  dialog.querySelector("#pay-total").textContent = `Total to pay: ${money(order.total)}`;
  dialog.querySelector("input[value=CASH]").checked = true;
  received.value = "";
  change.textContent = "";
  error.textContent = "";
  const sync = () => {
    const cash = method() === "CASH";
    dialog.querySelector("#pay-received-field").hidden = !cash;
    const cents = textToCents(received.value);
    if (!cash || !received.value.trim()) change.textContent = "";
    else if (cents === null) change.textContent = "Write the amount like 20 or 20.50.";
    else if (cents < total) change.textContent = `That is ${money((total - cents) / 100)} short of the total.`;
    else change.textContent = `Change to give: ${money((cents - total) / 100)}`;
  };
  dialog.oninput = sync;
  dialog.onchange = sync;
  sync();
  const form = dialog.querySelector("form");
  form.onsubmit = async (event) => {
    event.preventDefault();
    const body = { method: method() };
    if (body.method === "CASH" && received.value.trim()) {
      const cents = textToCents(received.value);
      if (cents === null || cents < total) {
        error.textContent = cents === null ? "Write the amount received like 20 or 20.50." : "The amount received is less than the total.";
        received.focus();
        return;
      }
      body.amountReceived = (cents / 100).toFixed(2);
    }
    const submit = dialog.querySelector("#pay-submit");
    submit.disabled = true;
    const response = await api(`/api/orders/${encodeURIComponent(order.id)}/payments/mark-paid`, { method: "POST", body });
    submit.disabled = false;
    if (!response.ok) {
      error.textContent = response.error;
      return;
    }
    dialog.close("paid");
    const payment = response.data || {};
    const note = document.getElementById("toast");
    if (note) {
      note.textContent = payment.change ? `Order #${order.orderNumber} is paid. Change to give: ${money(payment.change)}.` : `Order #${order.orderNumber} is paid.`;
      note.hidden = false;
      setTimeout(() => {
        note.hidden = true;
      }, 8000);
    }
  };
  dialog.showModal();
  (method() === "CASH" ? received : dialog.querySelector("input[name=pay-method]:checked")).focus();
}
