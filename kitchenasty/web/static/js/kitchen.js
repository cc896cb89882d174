// The kitchen display: staff login, four columns, ticking age timers, one-tap advance (optimistic, reconciled by
// the server's events), cancel with confirmation, each item's preparation state (a tap: QUEUED -> PREPARING ->
// DONE, compare-and-set on its version), recall of an order's last move, a new-order alert that repeats until
// someone acknowledges the order (kitchen-alert.js), the station view and compact mode (kitchen-view.js), the
// "done today" list (kitchen-done.js), and a socket that survives outages.

import { $, api, config, describeRetry, el, formatTime, LiveSocket, optionText, storage, typeLabel } from "./common.js";
import { setUnacknowledged, setupAlert, setupSound, stopAlert } from "./kitchen-alert.js";
import { doneOpen, load as loadDone, setupDone } from "./kitchen-done.js";
import { NEXT_PREP, itemLine, note } from "./kitchen-items.js";
import { onSocketState, setConn, showToast, tick as tickTimers } from "./kitchen-status.js";
import { itemsHere, loadStations, setupView, visible } from "./kitchen-view.js";
import { paymentBadge, paymentChip } from "./kitchen-payment.js";

const COLUMNS = ["PENDING", "CONFIRMED", "PREPARING", "READY"];
const ON_BOARD = new Set(COLUMNS);
const FRESH_MS = 20000;
const WORKING = new Set(["CONFIRMED", "PREPARING"]); // an order whose items a tap changes

const ACTIONS = {
  CONFIRMED: () => "Confirm",
  PREPARING: () => "Start preparing",
  READY: () => "Mark ready",
  OUT_FOR_DELIVERY: () => "Out for delivery",
  PICKED_UP: () => "Picked up",
  DELIVERED: (order) => (order.orderType === "DINE_IN" ? "Served" : "Delivered"),
};

const state = {
  orders: new Map(), // id -> order as shown (server truth, or an optimistic copy while a change is in flight)
  inFlight: new Map(), // id -> the order as it was before the optimistic change
  itemsInFlight: new Set(), // item ids whose change waits for the server's answer
  known: new Set(), // every order id this screen has seen (a resync does not re-announce old orders)
  fresh: new Map(), // id -> time it arrived (highlighted for a while)
  loadedOnce: false,
  me: null,
};

const board = $("#board");
const loginPanel = $("#login");
const cancelDialog = $("#cancel-dialog");
let socket = null;

// ------------------------------------------------------------------ session

async function boot() {
  setupSound();
  setupAlert(config.alertRepeatSeconds);
  setupView(redraw);
  setupDone({ board, onLeave: render });
  $("#login-form").addEventListener("submit", login);
  $("#logout-btn").addEventListener("click", logout);
  $("#retry-btn").addEventListener("click", () => socket && socket.reconnectNow());
  board.addEventListener("click", onBoardClick);
  setInterval(tick, 1000);
  const me = await api("/api/auth/me");
  if (me.ok && me.data && me.data.type === "staff") startBoard(me.data.user);
  else showLogin(me.ok && me.data && me.data.type === "customer" ? "You are logged in as a customer: log in with a staff account." : "");
}

function showLogin(note) {
  if (socket) socket.stop();
  socket = null;
  state.me = null;
  stopAlert();
  board.hidden = true;
  $("#done-panel").hidden = true;
  $("#kds-views").hidden = true;
  loginPanel.hidden = false;
  $("#logout-btn").hidden = true;
  $("#kds-user").textContent = "";
  $("#kds-count").textContent = "";
  $("#offline-banner").hidden = true;
  setConn("offline", "Not logged in");
  $("#login-note").textContent = note || "Log in to see and move orders.";
  $("#login-email").focus();
}

async function login(event) {
  event.preventDefault();
  const email = $("#login-email").value.trim();
  const password = $("#login-password").value;
  const error = $("#login-error");
  if (!email || !password) {
    error.textContent = "Enter your e-mail and password.";
    return;
  }
  error.textContent = "";
  const response = await api("/api/auth/staff/login", { method: "POST", body: { email, password } });
  if (!response.ok) {
    error.textContent = response.error;
    return;
  }
  $("#login-password").value = "";
  startBoard(response.data.user);
}

async function logout() {
  await api("/api/auth/logout", { method: "POST" });
  state.orders.clear();
  render();
  showLogin("Logged out.");
}

function startBoard(user) {
  state.me = user;
  loginPanel.hidden = true;
  board.hidden = doneOpen();
  $("#kds-views").hidden = false;
  $("#logout-btn").hidden = false;
  loadStations(redraw, showToast);
  $("#kds-user").textContent = user ? user.name : "";
  socket = new LiveSocket("/api/ws/kitchen", {
    onSnapshot: applySnapshot,
    onEvent: onEvent,
    onState: onSocketState,
    onRefused: (code) => {
      showLogin(code === 4403 ? "This account may not use the kitchen display." : "Your session has ended: log in again.");
    },
  });
  socket.start();
}

// ------------------------------------------------------------------ state from the server

function newer(order, current) {
  return !current || !current.updatedAt || !order.updatedAt || order.updatedAt >= current.updatedAt;
}

function applySnapshot(list) {
  const arrivals = [];
  const next = new Map();
  for (const order of list) {
    if (!ON_BOARD.has(order.status)) continue;
    next.set(order.id, order);
    if (state.loadedOnce && !state.known.has(order.id)) arrivals.push(order);
    state.known.add(order.id);
  }
  // A change still in flight keeps its optimistic look until the server answers it.
  for (const id of state.inFlight.keys()) {
    const shown = state.orders.get(id);
    if (shown) next.set(id, shown);
    else next.delete(id);
  }
  state.orders = next;
  const first = !state.loadedOnce;
  state.loadedOnce = true;
  announce(arrivals, { ring: false });
  // After a (re)connect the alert resumes at once if unacknowledged orders are in the snapshot.
  updateAlert(first || arrivals.length > 0);
  render();
}

function onEvent(event, data) {
  if (!data) return;
  if (event === "orderItem.prepChanged") {
    applyPrep(data);
    render();
    return;
  }
  if (event === "order.acknowledged") {
    const order = state.orders.get(data.orderId);
    if (order) state.orders.set(order.id, { ...order, acknowledgedAt: data.acknowledgedAt, acknowledgedBy: data.acknowledgedBy });
    updateAlert();
    render();
    return;
  }
  const order = data;
  if (!order.id) return;
  if (event === "order.created") {
    const isNew = !state.known.has(order.id);
    state.known.add(order.id);
    applyOrder(order);
    if (isNew && ON_BOARD.has(order.status)) announce([order]);
    render();
  } else if (event === "order.statusUpdate" || event === "order.paymentUpdate") {
    state.known.add(order.id);
    applyOrder(order);
    updateAlert();
    render();
  }
  if (doneOpen()) loadDone();
}

/** An item's state from the server (an event or a refusal's details): the higher version wins. */
function applyPrep({ orderId, itemId, state: prepState, version, changedAt, id, prepState: asItem, prepVersion }) {
  const item = itemId || id;
  const wanted = { state: prepState || asItem, version: version !== undefined ? version : prepVersion };
  const order = state.orders.get(orderId);
  if (!order) return;
  const items = order.items.map((line) =>
    line.id === item && wanted.version >= line.prepVersion
      ? { ...line, prepState: wanted.state, prepVersion: wanted.version, prepChangedAt: changedAt || line.prepChangedAt, busy: false }
      : line,
  );
  state.orders.set(orderId, { ...order, items });
}

function applyOrder(order) {
  const before = state.inFlight.get(order.id);
  const current = before || state.orders.get(order.id);
  if (!newer(order, current)) return;
  state.inFlight.delete(order.id); // the server has spoken: its state wins over the optimistic one
  if (!ON_BOARD.has(order.status)) {
    state.orders.delete(order.id);
    return;
  }
  // An item whose own event is newer than this copy of the order keeps it (versions only rise).
  const shown = state.orders.get(order.id);
  const items = order.items.map((line) => {
    const known = shown && shown.items.find((old) => old.id === line.id);
    return known && known.prepVersion > line.prepVersion ? { ...line, ...pick(known) } : line;
  });
  state.orders.set(order.id, { ...order, items, acknowledgedAt: order.acknowledgedAt || (shown && shown.acknowledgedAt) || null });
}

function pick(line) {
  return { prepState: line.prepState, prepVersion: line.prepVersion, prepChangedAt: line.prepChangedAt };
}

// ------------------------------------------------------------------ actions

function onBoardClick(event) {
  const button = event.target.closest("button[data-action]");
  const ticket = event.target.closest(".ticket");
  // Any tap on a card (a button on it, or the card itself) acknowledges a new order: its alert stops everywhere.
  if (ticket) acknowledge(ticket.dataset.id);
  if (!button) return;
  const id = button.dataset.id;
  const action = button.dataset.action;
  if (action === "advance") advance(id, button.dataset.target);
  else if (action === "cancel") confirmCancel(id);
  else if (action === "prep") tapItem(id, button.dataset.item);
  else if (action === "recall") recall(id);
}

async function acknowledge(id) {
  const order = state.orders.get(id);
  if (!order || order.acknowledgedAt || order.acking) return;
  state.orders.set(id, { ...order, acking: true });
  const response = await api(`/api/orders/${encodeURIComponent(id)}/acknowledge`, { method: "POST" });
  const now = state.orders.get(id);
  if (!now) return;
  if (response.ok) {
    state.orders.set(id, { ...now, acking: false, acknowledgedAt: response.data.acknowledgedAt, acknowledgedBy: response.data.acknowledgedBy });
  } else {
    state.orders.set(id, { ...now, acking: false });
    if (response.status === 401) showLogin("Your session has ended: log in again.");
  }
  updateAlert();
  render();
}

/** One tap on an item: its next state, shown at once, sent with the version this screen saw. */
async function tapItem(orderId, itemId) {
  const order = state.orders.get(orderId);
  const item = order && order.items.find((line) => line.id === itemId);
  if (!item || !WORKING.has(order.status) || state.itemsInFlight.has(itemId) || !NEXT_PREP[item.prepState]) return;
  const target = NEXT_PREP[item.prepState];
  state.itemsInFlight.add(itemId);
  setItem(orderId, itemId, { prepState: target, busy: true });
  render();
  const response = await api(`/api/orders/${encodeURIComponent(orderId)}/items/${encodeURIComponent(itemId)}/prep`, {
    method: "PATCH",
    body: { state: target, expectedVersion: item.prepVersion },
  });
  state.itemsInFlight.delete(itemId);
  if (response.ok) {
    applyPrep(response.data.item);
  } else if (response.code === "ITEM_CHANGED" && response.details && response.details[0]) {
    setItem(orderId, itemId, { ...pick(item), busy: false });
    applyPrep(response.details[0]); // another screen won: show what it did
    showToast(`${item.name}: ${response.error}`);
  } else {
    setItem(orderId, itemId, { ...pick(item), busy: false });
    showToast(`${item.name} was not changed: ${response.error}`);
    if (response.status === 401) showLogin("Your session has ended: log in again.");
  }
  render();
}

function setItem(orderId, itemId, changes) {
  const order = state.orders.get(orderId);
  if (!order) return;
  state.orders.set(orderId, { ...order, items: order.items.map((line) => (line.id === itemId ? { ...line, ...changes } : line)) });
}

/** Undo the order's last move (an item's state or its status); every screen follows through the events. */
async function recall(id) {
  const order = state.orders.get(id);
  if (!order) return;
  const response = await api(`/api/orders/${encodeURIComponent(id)}/recall`, { method: "POST" });
  if (response.ok) applyOrder(response.data);
  else showToast(`Order #${order.orderNumber}: ${response.error}`);
  render();
}

async function advance(id, target) {
  const before = state.orders.get(id);
  if (!before || state.inFlight.has(id) || !target) return;
  state.inFlight.set(id, before);
  state.fresh.delete(id);
  if (ON_BOARD.has(target)) state.orders.set(id, { ...before, status: target, nextStatus: null, busy: true });
  else state.orders.delete(id);
  render();
  const response = await api(`/api/orders/${encodeURIComponent(id)}/status`, { method: "PATCH", body: { status: target } });
  if (state.inFlight.get(id) !== before) return; // an event already reconciled it
  state.inFlight.delete(id);
  if (response.ok && response.data && response.data.id) {
    applyOrder(response.data);
  } else if (!response.ok) {
    const now = state.orders.get(id);
    state.orders.set(id, { ...before, acknowledgedAt: (now && now.acknowledgedAt) || before.acknowledgedAt });
    showToast(`Order #${before.orderNumber} was not changed: ${response.error}`);
    if (response.status === 401) showLogin("Your session has ended: log in again.");
    else if (response.status !== 0 && socket) socket.resync(); // our picture was out of date: take a fresh one
  }
  render();
}

function confirmCancel(id) {
  const order = state.orders.get(id);
  if (!order) return;
  $("#cancel-number").textContent = `#${order.orderNumber}`;
  cancelDialog.returnValue = "";
  cancelDialog.onclose = () => {
    if (cancelDialog.returnValue === "cancel") advance(id, "CANCELLED");
    else focusCard(id);
  };
  cancelDialog.showModal();
}

function focusCard(id) {
  const button = board.querySelector(`button[data-id="${CSS.escape(id)}"]`);
  if (button) button.focus();
}

// ------------------------------------------------------------------ rendering

function render() {
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
  const byStatus = Object.fromEntries(COLUMNS.map((status) => [status, []]));
  let total = 0;
  for (const order of state.orders.values()) {
    if (!visible(order) || !byStatus[order.status]) continue;
    byStatus[order.status].push(order);
    total += 1;
  }
  for (const status of COLUMNS) {
    const column = board.querySelector(`[data-status="${status}"]`);
    const orders = byStatus[status].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    column.querySelector("[data-count]").textContent = String(orders.length);
    column.querySelector("[data-empty]").hidden = orders.length > 0;
    column.querySelector("[data-cards]").replaceChildren(...orders.map(card));
  }
  $("#kds-count").textContent = `${total} active order${total === 1 ? "" : "s"}`;
  tick();
  if (focused) {
    const target = board.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`);
    if (target) target.focus();
  }
}

function card(order) {
  const fresh = state.fresh.has(order.id);
  const unacked = !order.acknowledgedAt;
  const working = WORKING.has(order.status);
  const { mine, others } = itemsHere(order);
  const items = el(
    "ul",
    { class: "ticket-items" },
    mine.map((item) => itemLine(order, item, working)),
    others
      ? el("li", { class: "item-elsewhere", text: `+ ${others} item${others === 1 ? "" : "s"} at other stations` })
      : null,
  );
  const label = order.nextStatus ? (ACTIONS[order.nextStatus] || (() => order.nextStatus))(order) : null;
  const actions = el(
    "div",
    { class: "ticket-actions" },
    label
      ? el("button", {
          type: "button",
          class: "btn btn-advance",
          dataset: { action: "advance", id: order.id, target: order.nextStatus, focusKey: `${order.id}:advance` },
          "aria-label": `${label}: order #${order.orderNumber}`,
          text: label,
        })
      : el("span", { class: "ticket-saving", text: order.busy ? "Saving…" : "" }),
    unacked
      ? el("button", {
          type: "button",
          class: "btn btn-ack",
          dataset: { action: "ack", id: order.id, focusKey: `${order.id}:ack` },
          "aria-label": `Seen: acknowledge order #${order.orderNumber}`,
          text: "Seen",
        })
      : order.status === "PENDING"
      ? null
      : el("button", {
          type: "button",
          class: "btn btn-recall",
          dataset: { action: "recall", id: order.id, focusKey: `${order.id}:recall` },
          "aria-label": `Undo: recall the last change of order #${order.orderNumber}`,
          disabled: order.busy ? true : null,
          text: "Undo",
        }),
    el("button", {
      type: "button",
      class: "btn btn-cancel",
      dataset: { action: "cancel", id: order.id, focusKey: `${order.id}:cancel` },
      "aria-label": `Cancel order #${order.orderNumber}`,
      disabled: order.busy ? true : null,
      text: "Cancel",
    }),
  );
  const since = order.scheduledAt || order.createdAt;
  return el(
    "li",
    {
      class: `ticket type-${order.orderType.toLowerCase()}${fresh ? " is-new" : ""}${order.busy ? " is-busy" : ""}${unacked ? " is-unacked" : ""}`,
      dataset: { id: order.id, status: order.status },
    },
    el(
      "article",
      { "aria-labelledby": `t-${order.id}` },
      el(
        "header",
        { class: "ticket-head" },
        ticketNumber(order),
        el("span", { class: `badge badge-${order.orderType.toLowerCase()}`, text: typeLabel(order) }),
        el("span", { class: "ticket-who", "aria-hidden": "true", text: order.customerName || order.guestName || "Guest" }),
        paymentChip(order),
        el("span", { class: "timer", dataset: { since, scheduled: order.scheduledAt ? "1" : "" }, "aria-label": "Order age" }),
      ),
      fresh ? el("p", { class: "ticket-new", text: "NEW" }) : null,
      el("p", { class: "ticket-customer", text: order.customerName || order.guestName || "Guest" }),
      paymentBadge(order),
      order.scheduledAt ? el("p", { class: "ticket-scheduled", text: `Scheduled for ${formatTime(order.scheduledAt)}` }) : null,
      items,
      order.comment ? note("p", "ticket-comment", order.comment) : null,
      actions,
    ),
  );
}

/** "#KA-261125-004" with the running number big and the date prefix small (the name stays the whole number). */
function ticketNumber(order) {
  const number = String(order.orderNumber);
  const cut = number.lastIndexOf("-") + 1;
  return el(
    "h3",
    { class: "ticket-number", id: `t-${order.id}` },
    el("span", { class: "ticket-prefix", text: `#${number.slice(0, cut)}` }),
    number.slice(cut),
  );
}

// ------------------------------------------------------------------ the new-order highlight and alert

function announce(orders, { ring = true } = {}) {
  const shown = orders.filter(visible);
  const now = Date.now();
  for (const order of shown) state.fresh.set(order.id, now);
  if (shown.length) document.body.dataset.lastArrival = shown[shown.length - 1].orderNumber;
  if (ring) updateAlert(shown.some((order) => !order.acknowledgedAt));
}

/** The station changed (or became known): the alert counts what this screen shows. */
function redraw() {
  updateAlert();
  render();
}

/** The alert rings while an order shown on this screen is unacknowledged; `arrived` rings at once. */
function updateAlert(arrived = false) {
  let waiting = 0;
  for (const order of state.orders.values()) if (!order.acknowledgedAt && visible(order)) waiting += 1;
  setUnacknowledged(waiting, { arrived });
}

function tick() {
  tickTimers(board, state.fresh, FRESH_MS);
}

boot();
