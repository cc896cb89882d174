// The order page's payments panel: the order's payment state in words, each payment (provider, amount, who, when,
// change given, a provider's refused callback flagged), its refunds, "Mark paid" for staff (cash with the amount
// received, or card on site) and "Refund…" for managers (all or part of what is left, with a reason).

import { api, el, formatDateTime, money } from "../../../common.js";
import { amountToCents, centsToAmount, centsToText, textToCents } from "../../form.js";
import { toast } from "../../toast.js";

export const PAYMENT_STATE_TEXT = {
  UNPAID: "Not paid",
  PENDING: "Payment pending",
  PAID: "Paid",
  PARTIALLY_REFUNDED: "Partly refunded",
  REFUNDED: "Refunded",
};
const PROVIDER_TEXT = { STRIPE: "Card (Stripe)", PAYPAL: "PayPal", CASH: "Cash", CARD_ON_SITE: "Card on site" };
const STATUS_TEXT = {
  PENDING: "Waiting for the provider",
  SUCCEEDED: "Completed",
  FAILED: "Failed",
  REFUNDED: "Refunded",
  PARTIALLY_REFUNDED: "Partly refunded",
};
const MANAGERS = new Set(["MANAGER", "SUPER_ADMIN"]);
let counter = 0;

/** A modal form of labelled fields; resolves with the values, or null on Cancel or Escape. */
function formDialog({ title, body, fields, confirmLabel, check }) {
  counter += 1;
  const id = `pay-dialog-${counter}`;
  const opener = document.activeElement;
  const inputs = {};
  const error = el("p", { class: "form-error", id: `${id}-error`, role: "alert" });
  const nodes = fields.map((f) => {
    const input =
      f.type === "select"
        ? el("select", { id: `${id}-${f.name}`, name: f.name }, f.options.map(([value, text]) => el("option", { value, text })))
        : el(f.type === "textarea" ? "textarea" : "input", {
            id: `${id}-${f.name}`,
            name: f.name,
            inputmode: f.type === "money" ? "decimal" : null,
            autocomplete: "off",
            maxlength: f.maxLength || null,
            rows: f.type === "textarea" ? 2 : null,
            "aria-describedby": f.help ? `${id}-${f.name}-help` : null,
          });
    if (f.value !== undefined) input.value = f.value;
    inputs[f.name] = input;
    return el(
      "div",
      { class: "admin-field", dataset: { field: f.name } },
      el("label", { for: input.id, text: f.label }),
      input,
      f.help ? el("p", { class: "admin-help", id: `${id}-${f.name}-help`, "aria-live": "polite", text: f.help }) : null,
    );
  });
  const cancel = el("button", { type: "button", class: "btn", text: "Cancel" });
  const ok = el("button", { type: "submit", class: "btn btn-primary", text: confirmLabel });
  const form = el(
    "form",
    { method: "dialog", novalidate: true },
    el("h2", { id: `${id}-title`, text: title }),
    body ? el("p", { id: `${id}-body`, text: body }) : null,
    ...nodes,
    error,
    el("div", { class: "dialog-actions" }, cancel, ok),
  );
  const dialog = el("dialog", { class: "dialog admin-dialog", "aria-labelledby": `${id}-title` }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = null;
    const finish = (value) => {
      answer = value;
      dialog.close();
    };
    cancel.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(null);
    });
    form.addEventListener("input", () => check && check(inputs, null));
    form.addEventListener("change", () => check && check(inputs, null));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const problem = check ? check(inputs, error) : "";
      if (problem) {
        error.textContent = problem;
        return;
      }
      finish(Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, input.value.trim()])));
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && typeof opener.focus === "function" && document.contains(opener)) opener.focus();
      resolve(answer);
    });
    dialog.showModal();
    Object.values(inputs)[0].focus();
    if (check) check(inputs, null);
  });
}

function paymentRow(payment, { manager, onRefund }) {
  const left = amountToCents(payment.amount) - amountToCents(payment.refunded);
  const refundable = manager && (payment.status === "SUCCEEDED" || payment.status === "PARTIALLY_REFUNDED") && left > 0;
  const detail = [];
  if (payment.received !== null && payment.received !== undefined) detail.push(`Received ${money(payment.received)}, change given ${money(payment.change || 0)}`);
  if (payment.refunded) detail.push(`Refunded ${money(payment.refunded)}`);
  return el(
    "tr",
    { dataset: { paymentId: payment.id, status: payment.status } },
    el("td", {}, el("span", { text: PROVIDER_TEXT[payment.provider] || payment.provider }), payment.providerRef ? el("div", { class: "admin-item-note", text: payment.providerRef }) : null),
    el("td", { class: "admin-num", text: money(payment.amount) }),
    el(
      "td",
      {},
      el("span", { text: STATUS_TEXT[payment.status] || payment.status }),
      ...detail.map((text) => el("div", { class: "admin-item-note", text })),
      payment.flag ? el("p", { class: "admin-pay-flag", role: "note", text: `Flagged: ${payment.flag}` }) : null,
      ...(payment.refunds || []).map((r) =>
        el("div", { class: "admin-item-note", text: `Refund ${money(r.amount)} (${STATUS_TEXT[r.status] || r.status})${r.reason ? `: ${r.reason}` : ""}${r.by ? ` · ${r.by.name}` : ""}` }),
      ),
    ),
    el("td", { text: `${formatDateTime(payment.paidAt || payment.createdAt)}${payment.by ? ` · ${payment.by.name}` : ""}` }),
    el(
      "td",
      {},
      refundable ? el("button", { type: "button", class: "btn", "aria-label": `Refund the ${PROVIDER_TEXT[payment.provider] || ""} payment of ${money(payment.amount)}`, text: "Refund…", onclick: () => onRefund(payment, left) }) : null,
    ),
  );
}

/** The panel for `order` (an element) with `update(order)` to follow the live order. */
export function paymentsPanel(ctx, initial) {
  let order = initial;
  const manager = MANAGERS.has(ctx.user && ctx.user.role);
  const state = el("p", { class: "admin-pay-state", id: "order-payment-state" });
  const list = el("div", { class: "admin-payments-box" });
  const actions = el("div", { class: "admin-actions", role: "group", "aria-label": "Payment" });
  const panel = el("section", { class: "admin-panel", "aria-labelledby": "order-payments" }, el("h2", { id: "order-payments", text: "Payment" }), state, actions, list);

  async function load() {
    const response = await api(`/api/orders/${encodeURIComponent(order.id)}/payments`);
    if (!response.ok) {
      list.replaceChildren(el("p", { class: "form-error", text: `The payments could not be loaded: ${response.error}` }));
      return;
    }
    const payments = response.data || [];
    if (!payments.length) {
      list.replaceChildren(el("p", { class: "muted", text: "No payment recorded yet." }));
      return;
    }
    list.replaceChildren(
      el(
        "div",
        { class: "admin-table-wrap", role: "region", "aria-label": "Payments of this order", tabindex: "0" },
        el(
          "table",
          { class: "admin-table" },
          el("caption", { class: "visually-hidden", text: "Payments of this order" }),
          el("thead", {}, el("tr", {}, ...["Method", "Amount", "State", "When", "Actions"].map((h) => el("th", { scope: "col", class: h === "Amount" ? "admin-num" : null, text: h })))),
          el("tbody", {}, payments.map((p) => paymentRow(p, { manager, onRefund: refund }))),
        ),
      ),
    );
  }

  function draw() {
    const status = order.paymentStatus || "UNPAID";
    state.replaceChildren(el("span", { class: `admin-status admin-pay-${status.toLowerCase()}`, dataset: { payment: status }, text: PAYMENT_STATE_TEXT[status] || status }), ` · total ${money(order.total)}`);
    const open = (status === "UNPAID" || status === "PENDING") && order.status !== "CANCELLED";
    actions.hidden = !open;
    actions.replaceChildren(...(open ? [el("button", { type: "button", class: "btn btn-primary", id: "mark-paid", text: "Mark paid…", onclick: markPaid })] : []));
  }

  async function markPaid() {
    const total = amountToCents(order.total);
    const values = await formDialog({
      title: `Mark order #${order.orderNumber} paid`,
      body: `Total to pay: ${money(order.total)}.`,
      confirmLabel: "Mark paid",
      fields: [
        { name: "method", label: "How did the guest pay?", type: "select", options: [["CASH", "Cash"], ["CARD_ON_SITE", "Card on site"]] },
        { name: "received", label: "Amount received (cash)", type: "money", help: "Leave empty when the guest paid the exact total." },
      ],
      check(inputs, error) {
        const cash = inputs.method.value === "CASH";
        inputs.received.closest(".admin-field").hidden = !cash;
        const help = inputs.received.closest(".admin-field").querySelector(".admin-help");
        const cents = textToCents(inputs.received.value);
        if (!cash || cents === null) help.textContent = "Leave empty when the guest paid the exact total.";
        else if (Number.isNaN(cents)) help.textContent = "Write the amount like 20 or 20.50.";
        else if (cents < total) help.textContent = `That is ${money(centsToText(total - cents))} short of the total.`;
        else help.textContent = `Change to give: ${money(centsToText(cents - total))}`;
        if (!error) return "";
        if (cash && cents !== null && (Number.isNaN(cents) || cents < total)) return "The amount received must be at least the total.";
        return "";
      },
    });
    if (!values) return;
    const body = { method: values.method };
    if (values.method === "CASH" && values.received) body.amountReceived = centsToAmount(textToCents(values.received));
    const response = await api(`/api/orders/${encodeURIComponent(order.id)}/payments/mark-paid`, { method: "POST", body });
    if (!response.ok) {
      toast(`The payment was not recorded: ${response.error}`, { kind: "error" });
      return;
    }
    const change = response.data && response.data.change;
    toast(change ? `Order #${order.orderNumber} is paid. Change to give: ${money(change)}.` : `Order #${order.orderNumber} is paid.`, { kind: "success" });
    order = { ...order, paymentStatus: "PAID" };
    draw();
    await load();
  }

  async function refund(payment, left) {
    const values = await formDialog({
      title: `Refund the ${PROVIDER_TEXT[payment.provider] || ""} payment`,
      body: `At most ${money(centsToText(left))} can be refunded.`,
      confirmLabel: "Refund",
      fields: [
        { name: "amount", label: "Amount to refund", type: "money", value: centsToText(left), help: "All that is left, or less for a partial refund." },
        { name: "reason", label: "Reason", type: "textarea", maxLength: 200, help: "Kept with the refund (at most 200 characters)." },
      ],
      check(inputs, error) {
        if (!error) return "";
        const cents = textToCents(inputs.amount.value);
        if (cents === null || Number.isNaN(cents) || cents <= 0) return "Write the amount to refund, like 5 or 5.50.";
        if (cents > left) return `At most ${money(centsToText(left))} can be refunded.`;
        if (!inputs.reason.value.trim()) return "Write why the money goes back.";
        return "";
      },
    });
    if (!values) return;
    const body = { amount: centsToAmount(textToCents(values.amount)), reason: values.reason };
    const response = await api(`/api/payments/${encodeURIComponent(payment.id)}/refund`, { method: "POST", body });
    if (!response.ok) {
      toast(`Nothing was refunded: ${response.error}`, { kind: "error" });
      return;
    }
    toast(`Refunded ${money(centsToText(textToCents(values.amount)))}.`, { kind: "success" });
    await load();
  }

  draw();
  load();
  return {
    panel,
    update(next) {
      const changed = next.paymentStatus !== order.paymentStatus;
      order = next;
      draw();
      if (changed) load();
    },
  };
}
