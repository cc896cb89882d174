// One order: items with options and comments, totals, the guest's contact, the delivery address or table, the
// status history (who, when, why), the messages it caused (the outbox), buttons for the moves the server's table
// allows, cancel with a reason, and a link to the printable receipt. The order's room keeps it current.

import { LiveSocket, api, el, formatDateTime, money, optionText, typeLabel } from "../../../common.js";
import { promptText } from "../../dialog.js";
import { toast } from "../../toast.js";
import { actionLabel, addressLines, contact, loadOrder, statusBadge, statusText, targets } from "./shared.js";
import { paymentsPanel } from "./payments.js";

const ROLE_TEXT = { SUPER_ADMIN: "Administrator", MANAGER: "Manager", STAFF: "Staff", CUSTOMER: "Customer" };
const KIND_TEXT = { email: "E-mail", sms: "SMS", webhook: "Webhook" };
const DELIVERY_STATUS = { PENDING: "Waiting to send", SENDING: "Sending", SENT: "Sent", FAILED: "Failed" };

function section(title, id, ...children) {
  return el("section", { class: "admin-panel", "aria-labelledby": id }, el("h2", { id, text: title }), ...children);
}

function facts(pairs) {
  return el(
    "dl",
    { class: "admin-facts" },
    pairs.filter(([, value]) => value !== null && value !== undefined && value !== "").flatMap(([term, value]) => [el("dt", { text: term }), el("dd", {}, value)]),
  );
}

const CLOSED = new Set(["DELIVERED", "PICKED_UP", "CANCELLED"]);

/** `onVoid(item)`: offered on each live item while the order is open and has more than one live item. */
function itemsTable(order, onVoid) {
  const live = order.items.filter((item) => !item.voided).length;
  const voidable = onVoid && !CLOSED.has(order.status) && live > 1;
  const rows = order.items.map((item) =>
    el(
      "tr",
      { class: item.voided ? "admin-item-voided" : null },
      el("td", { class: "admin-num", text: `${item.quantity}×` }),
      el(
        "td",
        {},
        el(item.voided ? "s" : "span", { class: "admin-item-name", text: item.name }),
        item.voided ? el("span", { class: "admin-status admin-avail-hidden", text: " Voided" }) : null,
        item.options && item.options.length ? el("div", { class: "admin-item-options", text: optionText(item.options) }) : null,
        item.comment ? el("div", { class: "admin-item-note", text: `Note: ${item.comment}` }) : null,
        voidable && !item.voided
          ? el("button", { type: "button", class: "btn btn-ghost admin-void-btn", text: "Void…", "aria-label": `Void ${item.quantity} × ${item.name}`, onclick: () => onVoid(item) })
          : null,
      ),
      el("td", { class: "admin-num admin-col-each", text: money(item.unitPrice) }),
      el("td", { class: "admin-num", text: money(item.subtotal) }),
    ),
  );
  const total = (label, amount, strong = false) =>
    el(
      "tr",
      { class: strong ? "admin-total-row" : null },
      el("th", { scope: "row", colspan: "2", text: label }),
      el("td", { class: "admin-col-each", "aria-hidden": "true" }),
      el("td", { class: "admin-num", text: money(amount) }),
    );
  return el(
    "div",
    { class: "admin-table-wrap", role: "region", "aria-label": "Items and totals", tabindex: "0" },
    el(
      "table",
      { class: "admin-table admin-items" },
      el("caption", { class: "visually-hidden", text: "Items and totals" }),
      el(
        "thead",
        {},
        el("tr", {}, el("th", { scope: "col", class: "admin-num", text: "Qty" }), el("th", { scope: "col", text: "Item" }), el("th", { scope: "col", class: "admin-num admin-col-each", text: "Each" }), el("th", { scope: "col", class: "admin-num", text: "Amount" })),
      ),
      el("tbody", {}, rows),
      el(
        "tfoot",
        {},
        total("Subtotal", order.subtotal),
        order.discount ? total(order.couponCode ? `Discount (${order.couponCode})` : "Discount", -order.discount) : null,
        order.orderType === "DELIVERY" ? total("Delivery fee", order.deliveryFee) : null,
        total(order.taxRate ? `Tax (${order.taxRate}%)` : "Tax", order.tax),
        order.tip ? total("Tip", order.tip) : null,
        total("Total", order.total, true),
      ),
    ),
  );
}

function whoText(by) {
  if (!by) return "The guest";
  return by.role ? `${by.name} (${ROLE_TEXT[by.role] || by.role})` : by.name;
}

function historyList(history) {
  if (!history.length) return el("p", { class: "muted", text: "No changes recorded yet." });
  return el(
    "ol",
    { class: "admin-history" },
    history.map((change) =>
      el(
        "li",
        {},
        el("span", { class: "admin-history-status" }, statusBadge(change.status)),
        " ",
        el("time", { datetime: change.at, text: formatDateTime(change.at) }),
        el("span", { class: "admin-history-who", text: ` · ${whoText(change.by)}` }),
        change.reason ? el("p", { class: "admin-history-reason", text: `Reason: ${change.reason}` }) : null,
      ),
    ),
  );
}

function deliveriesTable(deliveries) {
  if (!deliveries.length) return el("p", { class: "muted", text: "This order has not caused any e-mail, SMS or webhook." });
  return el(
    "div",
    { class: "admin-table-wrap", role: "region", "aria-label": "Messages sent about this order", tabindex: "0" },
    el(
      "table",
      { class: "admin-table" },
      el("caption", { class: "visually-hidden", text: "Messages sent about this order" }),
      el("thead", {}, el("tr", {}, ...["Kind", "To", "Status", "Tries", "When"].map((h) => el("th", { scope: "col", class: h === "Tries" ? "admin-num" : null, text: h })))),
      el(
        "tbody",
        {},
        deliveries.map((d) =>
          el(
            "tr",
            {},
            el("td", { text: KIND_TEXT[String(d.kind).toLowerCase()] || d.kind }),
            el("td", { text: d.recipient || "" }),
            el("td", {}, el("span", { text: DELIVERY_STATUS[String(d.status).toUpperCase()] || d.status }), d.lastError ? el("div", { class: "admin-item-note", text: d.lastError }) : null),
            el("td", { class: "admin-num", text: String(d.attempts ?? 0) }),
            el(
              "td",
              { text: d.sentAt ? `Sent ${formatDateTime(d.sentAt)}` : d.nextAttemptAt ? `Next try ${formatDateTime(d.nextAttemptAt)}` : formatDateTime(d.createdAt) },
            ),
          ),
        ),
      ),
    ),
  );
}

/** @param {HTMLElement} main @param {object} ctx @param {string} id */
export async function mountOrder(main, ctx, id) {
  const first = await loadOrder(id);
  if (!first.ok) {
    ctx.setTitle(first.status === 404 ? "Order not found" : "Order");
    main.replaceChildren(
      el("p", { class: "banner banner-error", role: "alert", text: first.status === 404 ? "There is no order with this address." : first.error }),
      el("p", {}, el("a", { href: "/admin/orders", text: "Back to the orders" })),
    );
    return;
  }
  let order = first.data;
  let busy = false;
  const header = el("div", { class: "admin-order-head" });
  const actions = el("div", { class: "admin-actions", role: "group", "aria-label": "Change the status" });
  const history = el("div", { class: "admin-history-box" });
  const deliveries = el("div", { class: "admin-deliveries-box" });
  const body = el("div", { class: "admin-order-body" });

  function renderOrder() {
    ctx.setTitle(`Order #${order.orderNumber}`);
    const who = contact(order);
    header.replaceChildren(
      statusBadge(order.status),
      el("span", { class: "admin-order-meta", text: ` ${typeLabel(order)} · ${order.location ? order.location.name : ""} · placed ${formatDateTime(order.createdAt)}` }),
    );
    const moves = targets(ctx.config, order);
    const forward = moves.filter((status) => status !== "CANCELLED");
    actions.replaceChildren(
      ...forward.map((status, index) =>
        el("button", {
          type: "button",
          class: `btn ${index === 0 ? "btn-primary" : ""}`,
          dataset: { status },
          disabled: busy || null,
          text: actionLabel(order, status),
          onclick: () => move(status),
        }),
      ),
      moves.includes("CANCELLED")
        ? el("button", { type: "button", class: "btn btn-danger", disabled: busy || null, text: "Cancel order…", onclick: cancel })
        : null,
      el("a", { class: "btn", href: `/admin/orders/${encodeURIComponent(order.id)}/receipt`, text: "Receipt" }),
    );
    if (!moves.length) actions.prepend(el("p", { class: "muted admin-actions-note", text: `This order is ${statusText(order.status).toLowerCase()}: its status no longer changes.` }));
    const place =
      order.orderType === "DELIVERY"
        ? ["Deliver to", el("address", {}, ...addressLines(order.deliveryAddress).flatMap((line, i) => (i ? [el("br"), line] : [line])))]
        : order.orderType === "DINE_IN"
          ? ["Table", order.tableName || "Not given"]
          : ["Pickup at", order.location ? order.location.name : ""];
    body.replaceChildren(
      section(
        "Items",
        "order-items",
        itemsTable(order, voidItem),
        order.comment ? el("p", { class: "admin-order-comment" }, el("strong", { text: "Order note: " }), order.comment) : null,
        CLOSED.has(order.status) ? null : el("button", { type: "button", class: "btn admin-reprint", text: "Reprint kitchen tickets", onclick: reprint }),
      ),
      section(
        "Guest",
        "order-guest",
        facts([
          ["Name", who.name + (who.account ? " (customer account)" : " (guest)")],
          ["E-mail", who.email ? el("a", { href: `mailto:${who.email}`, text: who.email }) : null],
          ["Phone", who.phone ? el("a", { href: `tel:${who.phone.replace(/[^\d+]/g, "")}`, text: who.phone }) : null],
          place,
          ["Scheduled for", order.scheduledAt ? formatDateTime(order.scheduledAt) : null],
          ["Payment", order.paymentMethod ? order.paymentMethod.replace(/_/g, " ").toLowerCase().replace(/^./, (c) => c.toUpperCase()) : null],
        ]),
      ),
    );
  }

  async function loadHistory() {
    const response = await api(`/api/orders/${encodeURIComponent(id)}/history`);
    history.replaceChildren(response.ok ? historyList(response.data || []) : el("p", { class: "form-error", text: `The history could not be loaded: ${response.error}` }));
  }

  async function loadDeliveries() {
    const response = await api(`/api/orders/${encodeURIComponent(id)}/deliveries`);
    deliveries.replaceChildren(response.ok ? deliveriesTable(response.data || []) : el("p", { class: "form-error", text: `The messages could not be loaded: ${response.error}` }));
  }

  function apply(next) {
    if (!next || next.id !== order.id) return;
    if (order.updatedAt && next.updatedAt && next.updatedAt < order.updatedAt) return;
    const changed = next.status !== order.status;
    order = next;
    renderOrder();
    payments.update(order);
    if (changed) {
      loadHistory();
      loadDeliveries();
    }
  }

  async function change(status, reason) {
    busy = true;
    renderOrder();
    const payload = reason ? { status, reason } : { status };
    const response = await api(`/api/orders/${encodeURIComponent(order.id)}/status`, { method: "PATCH", body: payload });
    busy = false;
    if (response.ok) {
      apply(response.data);
      renderOrder();
      toast(`Order #${order.orderNumber} is now ${statusText(order.status).toLowerCase()}.`, { kind: "success" });
      actions.querySelector("button, a").focus();
      return;
    }
    toast(`Order #${order.orderNumber} was not changed: ${response.error}`, { kind: "error" });
    const fresh = await loadOrder(order.id); // our picture may be out of date: the server's is the truth
    if (fresh.ok) order = fresh.data;
    renderOrder();
  }

  function move(status) {
    if (!busy) change(status);
  }

  async function cancel() {
    if (busy) return;
    const reason = await promptText({
      title: `Cancel order #${order.orderNumber}?`,
      body: "The order leaves the kitchen and the guest sees it as cancelled.",
      label: "Reason",
      help: "Kept in the order's history (at most 200 characters).",
      required: true,
      requiredMessage: "Write why the order is cancelled.",
      maxLength: 200,
      confirmLabel: "Cancel the order",
      cancelLabel: "Keep the order",
      danger: true,
    });
    if (reason) change("CANCELLED", reason);
  }

  async function voidItem(item) {
    if (busy) return;
    const reason = await promptText({
      title: `Void ${item.quantity} × ${item.name}?`,
      body: "The item comes off the order: the totals and stock follow, and the kitchen's printers print a change ticket.",
      label: "Reason",
      required: true,
      requiredMessage: "Write why the item comes off.",
      maxLength: 200,
      confirmLabel: "Void the item",
      cancelLabel: "Keep it",
      danger: true,
    });
    if (!reason) return;
    const response = await api(`/api/orders/${encodeURIComponent(order.id)}/items/${encodeURIComponent(item.id)}/void`, { method: "POST", body: { reason } });
    if (!response.ok) return toast(response.error, { kind: "error" });
    order = response.data;
    renderOrder();
    loadHistory();
    toast(`${item.name} voided; the total is now ${money(order.total)}.`, { kind: "success" });
    return undefined;
  }

  async function reprint() {
    const response = await api(`/api/orders/${encodeURIComponent(order.id)}/reprint`, { method: "POST", body: {} });
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(`Reprinting on ${response.data.length} ${response.data.length === 1 ? "printer" : "printers"}.`, { kind: "success" });
    return undefined;
  }

  renderOrder();
  const payments = paymentsPanel(ctx, order);
  main.replaceChildren(
    el("p", { class: "admin-back" }, el("a", { href: "/admin/orders", text: "← All orders" })),
    header,
    actions,
    body,
    payments.panel,
    section("Status history", "order-history", history),
    section(
      "Messages",
      "order-messages",
      deliveries,
      el("button", { type: "button", class: "btn btn-ghost admin-refresh", text: "Check the messages again", onclick: () => loadDeliveries() }),
    ),
  );
  await Promise.all([loadHistory(), loadDeliveries()]);

  const socket = new LiveSocket(`/api/ws/orders/${encodeURIComponent(id)}`, {
    onSnapshot: (snapshot) => apply(snapshot),
    onEvent: (event, data) => {
      if (event === "order.statusUpdate" || event === "order.paymentUpdate") apply(data);
    },
  });
  socket.start();
  document.body.dataset.orderLive = "started";
}
