// Shared helpers for the pages: DOM building, the JSON API, money and time formatting, and the live socket
// (reconnect with exponential backoff, seq-gap detection, heartbeat).

export const config = JSON.parse(document.getElementById("page-config").textContent);

export const $ = (selector, root = document) => root.querySelector(selector);

/** Build an element. Text is always set as text (never HTML). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const API_TIMEOUT_MS = 15000;

/**
 * Call the API. Resolves to {ok, status, data, error, code}; never throws: a network failure, or no answer within
 * 15 s, becomes ok:false with status 0 (the caller cannot know whether the server acted on it).
 */
export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), API_TIMEOUT_MS);
  const init = {
    method,
    headers: { Accept: "application/json", ...headers },
    credentials: "same-origin",
    signal: controller.signal,
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    clearTimeout(timer);
    const slow = controller.signal.aborted;
    return {
      ok: false,
      status: 0,
      code: slow ? "TIMEOUT" : "NETWORK",
      error: slow
        ? "The restaurant did not answer in time. Check the connection and try again."
        : "Cannot reach the restaurant right now. Check the connection and try again.",
    };
  }
  clearTimeout(timer);
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.ok) {
    const data = payload && typeof payload === "object" && "data" in payload ? payload.data : payload;
    return { ok: true, status: response.status, data, body: payload };
  }
  const error =
    (payload && payload.error) ||
    (response.status >= 500
      ? "Something went wrong at the restaurant. Please try again in a moment."
      : "The restaurant could not do that. Please try again.");
  return { ok: false, status: response.status, error, code: payload && payload.code, details: payload && payload.details };
}

const general = (config.site && config.site.general) || {};

let moneyFormat = null;

/** Format an amount the API sent (major units), for the site's currency and locale: the same CLDR rules as the
 * server's Babel formatting, so a page and an e-mail write an amount alike. Formatting only: totals always come
 * from the server. */
export function money(amount) {
  if (moneyFormat === null) {
    const locale = String(general.locale || "en_US").replace("_", "-");
    const currency = general.defaultCurrency || "USD";
    try {
      moneyFormat = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      moneyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
    }
  }
  return moneyFormat.format(Number(amount || 0));
}

function zone() {
  return general.timezone || undefined;
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  try {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", timeZone: zone() });
  } catch {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
}

export function formatDateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const options = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  try {
    return date.toLocaleString([], { ...options, timeZone: zone() });
  } catch {
    return date.toLocaleString([], options);
  }
}

/** "Size: Large · Toppings: Feta, Olives": the chosen values grouped under their option, in order. */
export function optionText(options) {
  const groups = new Map();
  for (const option of options || []) {
    if (!groups.has(option.name)) groups.set(option.name, []);
    groups.get(option.name).push(option.value);
  }
  return Array.from(groups, ([name, values]) => `${name}: ${values.join(", ")}`).join(" · ");
}

export const STATUS_TEXT = {
  PENDING: "Placed",
  CONFIRMED: "Confirmed",
  PREPARING: "Preparing",
  READY: "Ready",
  OUT_FOR_DELIVERY: "Out for delivery",
  DELIVERED: "Delivered",
  PICKED_UP: "Picked up",
  CANCELLED: "Cancelled",
};

export function typeLabel(order) {
  if (order.orderType === "DELIVERY") return "Delivery";
  if (order.orderType === "PICKUP") return "Pickup";
  if (!order.tableName) return "Table";
  return /^table\b/i.test(order.tableName) ? order.tableName : `Table ${order.tableName}`;
}

/** A random hex key (works on plain http:// LAN addresses, where crypto.randomUUID is unavailable). */
export function randomKey(bytes = 16) {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const storage = {
  get(key, fallback = null) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage full or disabled: the page still works for this visit */
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      /* ignore */
    }
  },
};

const REFUSALS = new Set([4401, 4403, 4404]);
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 10000;
export const HEARTBEAT_MS = 25000;
export const HEARTBEAT_TIMEOUT_MS = 10000;
export const CONNECT_TIMEOUT_MS = 10000;

/**
 * A room socket that keeps itself alive.
 * - every message must carry the next seq; a gap closes the socket and reconnects at once (fresh snapshot);
 * - a lost connection retries after 0.5 s, 1 s, 2 s, … capped at 10 s (±20 % jitter), and at once when the
 *   browser comes back online or the tab becomes visible;
 * - every 25 s it sends "ping"; no answer within 10 s counts as a dead connection;
 * - 4401/4403/4404 are final refusals: no retry, `onRefused(code, reason)` decides.
 */
export class LiveSocket {
  constructor(path, { onSnapshot, onEvent, onState, onRefused }) {
    this.path = path;
    this.onSnapshot = onSnapshot;
    this.onEvent = onEvent || (() => {});
    this.onState = onState || (() => {});
    this.onRefused = onRefused || (() => {});
    this.ws = null;
    this.attempt = 0;
    this.stopped = true;
    this.live = false;
    this.immediate = false;
    this.expected = 1;
    this.lastMessageAt = 0;
    this.nextRetryAt = 0;
    this.timers = {};
    this.listening = false;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${this.path}`;
  }

  start() {
    this.stopped = false;
    if (!this.listening) {
      this.listening = true;
      window.addEventListener("online", () => this.reconnectNow());
      document.addEventListener("visibilitychange", () => {
        if (!document.hidden) this.reconnectNow();
      });
    }
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, "bye");
    }
    this.live = false;
  }

  clearTimers() {
    for (const key of Object.keys(this.timers)) {
      clearTimeout(this.timers[key]);
      clearInterval(this.timers[key]);
    }
    this.timers = {};
  }

  setState(state, detail = {}) {
    this.state = state;
    this.onState(state, detail);
  }

  connect() {
    this.clearTimers();
    this.expected = 1;
    this.live = false;
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting", { attempt: this.attempt });
    this.timers.open = setTimeout(() => {
      if (this.ws === ws && !this.live) ws.close(4000, "connect timeout");
    }, CONNECT_TIMEOUT_MS);
    ws.onmessage = (event) => this.handle(ws, event);
    ws.onclose = (event) => this.closed(ws, event);
  }

  handle(ws, event) {
    if (ws !== this.ws) return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    this.lastMessageAt = Date.now();
    if (message.seq !== this.expected) {
      this.immediate = true;
      this.setState("resyncing", { expected: this.expected, got: message.seq });
      ws.close(4000, "seq gap");
      return;
    }
    this.expected += 1;
    if (message.event === "snapshot") {
      clearTimeout(this.timers.open);
      const wasLive = this.live;
      this.live = true;
      this.attempt = 0;
      if (!wasLive) this.startHeartbeat(ws);
      this.onSnapshot(message.data);
      this.setState("live");
    } else if (message.event !== "pong") {
      this.onEvent(message.event, message.data);
    }
  }

  startHeartbeat(ws) {
    clearInterval(this.timers.heartbeat);
    this.timers.heartbeat = setInterval(() => {
      if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
      const sentAt = Date.now();
      ws.send("ping");
      clearTimeout(this.timers.pong);
      this.timers.pong = setTimeout(() => {
        if (ws === this.ws && this.lastMessageAt < sentAt) ws.close(4000, "heartbeat timeout");
      }, HEARTBEAT_TIMEOUT_MS);
    }, HEARTBEAT_MS);
  }

  closed(ws, event) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.live = false;
    this.clearTimers();
    if (this.stopped) return;
    if (REFUSALS.has(event.code)) {
      this.stopped = true;
      this.setState("refused", { code: event.code, reason: event.reason });
      this.onRefused(event.code, event.reason);
      return;
    }
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.immediate) {
      this.immediate = false;
      this.setState("resyncing", {});
      this.timers.retry = setTimeout(() => this.connect(), 0);
      return;
    }
    const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = Math.min(BACKOFF_CAP_MS, Math.round(base * (0.8 + Math.random() * 0.4)));
    this.attempt += 1;
    this.nextRetryAt = Date.now() + delay;
    this.setState("offline", { retryAt: this.nextRetryAt, attempt: this.attempt });
    this.timers.retry = setTimeout(() => this.connect(), delay);
  }

  /** Drop what we have and start again from a fresh snapshot (after a refused change, or on request). */
  resync() {
    if (this.stopped) return;
    this.immediate = true;
    if (this.ws) this.ws.close(4000, "resync");
    else this.connect();
  }

  reconnectNow() {
    if (this.stopped) return;
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) return;
    this.connect();
  }
}

/** Keep the "offline" banner's countdown honest while a socket waits to retry. */
export function describeRetry(retryAt) {
  const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
  return seconds > 0 ? `Reconnecting in ${seconds} s…` : "Reconnecting…";
}
