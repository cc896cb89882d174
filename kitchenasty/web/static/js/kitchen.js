// The kitchen display: staff login, four columns, ticking age timers, one-tap advance (optimistic, reconciled by
// the server's events), cancel with confirmation, a chime for new orders, and a socket that survives outages.

import { $, LiveSocket, api, config, describeRetry, el, formatTime, optionText, storage, typeLabel } from "./common.js";
import { paymentBadge } from "./kitchen-payment.js";

const COLUMNS = ["PENDING", "CONFIRMED", "PREPARING", "READY"];
const ON_BOARD = new Set(COLUMNS);
const WARN_SECONDS = (config.warnMinutes || 10) * 60;
const LATE_SECONDS = (config.lateMinutes || 20) * 60;
const FRESH_MS = 20000;
const SOUND_KEY = "kitchenasty.kitchen.sound";

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
  board.hidden = true;
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
  board.hidden = false;
  $("#logout-btn").hidden = false;
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

// ------------------------------------------------------------------ connection state

function setConn(kind, text) {
  const conn = $("#conn");
  conn.dataset.state = kind;
  $("#conn-text").textContent = text;
}

let retryTimer = null;

function onSocketState(kind, detail) {
  clearInterval(retryTimer);
  const banner = $("#offline-banner");
  if (kind === "live") {
    setConn("live", "Live");
    banner.hidden = true;
    document.body.dataset.connection = "live";
    checkSound();
    return;
  }
  document.body.dataset.connection = kind;
  if (kind === "connecting") {
    setConn("connecting", "Connecting…");
    return;
  }
  if (kind === "refused") {
    banner.hidden = true;
    return;
  }
  if (kind === "resyncing") {
    setConn("connecting", "Resyncing…");
    return;
  }
  setConn("offline", "Offline");
  banner.hidden = false;
  const text = $("#offline-text");
  if (kind === "offline" && detail.retryAt) {
    const update = () => {
      text.textContent = `New orders will not appear until the connection is back. ${describeRetry(detail.retryAt)}`;
    };
    update();
    retryTimer = setInterval(update, 500);
  } else {
    text.textContent = "New orders will not appear until the connection is back. Reconnecting…";
  }
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
  state.loadedOnce = true;
  announce(arrivals);
  render();
}

function onEvent(event, order) {
  if (!order || !order.id) return;
  if (event === "order.created") {
    const isNew = !state.known.has(order.id);
    state.known.add(order.id);
    applyOrder(order);
    if (isNew && ON_BOARD.has(order.status)) announce([order]);
    render();
  } else if (event === "order.statusUpdate" || event === "order.paymentUpdate") {
    state.known.add(order.id);
    applyOrder(order);
    render();
  }
}

function applyOrder(order) {
  const before = state.inFlight.get(order.id);
  const current = before || state.orders.get(order.id);
  if (!newer(order, current)) return;
  state.inFlight.delete(order.id); // the server has spoken: its state wins over the optimistic one
  if (ON_BOARD.has(order.status)) state.orders.set(order.id, order);
  else state.orders.delete(order.id);
}

// ------------------------------------------------------------------ actions

function onBoardClick(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const id = button.dataset.id;
  if (button.dataset.action === "advance") advance(id, button.dataset.target);
  else if (button.dataset.action === "cancel") confirmCancel(id);
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
    state.orders.set(id, before);
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

let toastTimer = null;

function showToast(message) {
  const toast = $("#toast");
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 8000);
}

// ------------------------------------------------------------------ rendering

function render() {
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
  const byStatus = Object.fromEntries(COLUMNS.map((status) => [status, []]));
  for (const order of state.orders.values()) {
    if (byStatus[order.status]) byStatus[order.status].push(order);
  }
  for (const status of COLUMNS) {
    const column = board.querySelector(`[data-status="${status}"]`);
    const orders = byStatus[status].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    column.querySelector("[data-count]").textContent = String(orders.length);
    column.querySelector("[data-empty]").hidden = orders.length > 0;
    column.querySelector("[data-cards]").replaceChildren(...orders.map(card));
  }
  const total = state.orders.size;
  $("#kds-count").textContent = `${total} active order${total === 1 ? "" : "s"}`;
  tick();
  if (focused) {
    const target = board.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`);
    if (target) target.focus();
  }
}

function card(order) {
  const fresh = state.fresh.has(order.id);
  const items = el(
    "ul",
    { class: "ticket-items" },
    order.items.map((item) =>
      el(
        "li",
        {},
        el("span", { class: "qty", text: `${item.quantity}×` }),
        " ",
        el("span", { class: "item-name", text: item.name }),
        item.options && item.options.length ? el("div", { class: "item-options", text: optionText(item.options) }) : null,
        item.comment ? el("div", { class: "item-note", text: item.comment }) : null,
      ),
    ),
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
      class: `ticket type-${order.orderType.toLowerCase()}${fresh ? " is-new" : ""}${order.busy ? " is-busy" : ""}`,
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
        el("span", { class: "timer", dataset: { since, scheduled: order.scheduledAt ? "1" : "" }, "aria-label": "Order age" }),
      ),
      fresh ? el("p", { class: "ticket-new", text: "NEW" }) : null,
      el("p", { class: "ticket-customer", text: order.customerName || order.guestName || "Guest" }),
      paymentBadge(order),
      order.scheduledAt ? el("p", { class: "ticket-scheduled", text: `Scheduled for ${formatTime(order.scheduledAt)}` }) : null,
      items,
      order.comment ? el("p", { class: "ticket-comment", text: order.comment }) : null,
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

function tick() {
  const now = Date.now();
  for (const [id, at] of state.fresh) {
    if (now - at > FRESH_MS) {
      state.fresh.delete(id);
      const li = board.querySelector(`li[data-id="${CSS.escape(id)}"]`);
      if (li) {
        li.classList.remove("is-new");
        const marker = li.querySelector(".ticket-new");
        if (marker) marker.remove();
      }
    }
  }
  for (const timer of board.querySelectorAll(".timer")) {
    const seconds = Math.floor((now - Date.parse(timer.dataset.since)) / 1000);
    const ticket = timer.closest(".ticket");
    let level = "ok";
    let text;
    if (seconds < 0) {
      text = `in ${clock(-seconds)}`;
      level = "waiting";
    } else {
      text = clock(seconds);
      if (seconds >= LATE_SECONDS) level = "late";
      else if (seconds >= WARN_SECONDS) level = "warn";
    }
    if (timer.textContent !== text) timer.textContent = text;
    if (timer.dataset.level !== level) {
      timer.dataset.level = level;
      if (ticket) ticket.dataset.age = level;
    }
  }
}

function clock(total) {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
  const ss = String(seconds).padStart(2, "0");
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

// ------------------------------------------------------------------ sound and highlight

let audio = null;
let chimes = 0;

function setupSound() {
  const button = $("#sound-btn");
  button.hidden = false;
  button.addEventListener("click", () => {
    if (storage.get(SOUND_KEY) === "on" && audio && audio.state === "running") {
      storage.set(SOUND_KEY, "off");
    } else {
      storage.set(SOUND_KEY, "on");
      unlockAudio();
      chime();
    }
    checkSound();
  });
  // Browsers allow sound only after a gesture: the first tap or key press anywhere re-arms it.
  const unlock = () => {
    if (storage.get(SOUND_KEY) === "on") unlockAudio();
    checkSound();
  };
  document.addEventListener("pointerdown", unlock, true);
  document.addEventListener("keydown", unlock, true);
  checkSound();
}

function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  if (!audio) audio = new Context();
  if (audio.state === "suspended") audio.resume().then(checkSound, checkSound);
}

function soundReady() {
  return storage.get(SOUND_KEY) === "on" && audio !== null && audio.state === "running";
}

function checkSound() {
  const wanted = storage.get(SOUND_KEY) === "on";
  const ready = soundReady();
  const button = $("#sound-btn");
  button.setAttribute("aria-pressed", ready ? "true" : "false");
  button.textContent = ready ? "Sound on" : "Enable sound";
  button.dataset.chimes = String(chimes);
  $("#sound-banner").hidden = !(wanted && !ready);
}

/** Three short tones (880 / 1320 / 880 Hz, triangle wave, about half a second): audible over kitchen noise. */
function chime() {
  if (!soundReady()) {
    checkSound();
    return;
  }
  const start = audio.currentTime + 0.02;
  [
    [880, 0],
    [1320, 0.18],
    [880, 0.36],
  ].forEach(([frequency, offset]) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "triangle";
    oscillator.frequency.value = frequency;
    const t = start + offset;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.6, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(t);
    oscillator.stop(t + 0.18);
  });
  chimes += 1;
  $("#sound-btn").dataset.chimes = String(chimes);
}

function announce(orders) {
  if (!orders.length) return;
  const now = Date.now();
  for (const order of orders) state.fresh.set(order.id, now);
  document.body.dataset.lastArrival = orders[orders.length - 1].orderNumber;
  chime();
}

boot();
