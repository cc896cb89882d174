// The orders list: filters (status, type, location, date range) and search in the address, newest first, and live:
// the kitchen room's events (a new order, a status change) refresh it without a reload.

import { LiveSocket, api, el, formatDateTime, money, typeLabel } from "../../../common.js";
import { createList } from "../../list.js";
import { OPEN_STATUSES, TYPE_TEXT, partyName, statusBadge, statusText } from "./shared.js";

const STATUSES = ["PENDING", "CONFIRMED", "PREPARING", "READY", "OUT_FOR_DELIVERY", "DELIVERED", "PICKED_UP", "CANCELLED"];
const MANAGERS = new Set(["MANAGER", "SUPER_ADMIN"]);
const REFRESH_MS = 400;

async function locationOptions() {
  const response = await api("/api/locations?limit=100");
  if (!response.ok) return [];
  return response.data.map((location) => ({ value: location.id, label: location.name }));
}

/** @param {HTMLElement} main @param {object} ctx */
export function mountList(main, ctx) {
  ctx.setTitle("Orders");
  const live = el("p", { class: "admin-live", id: "orders-live", role: "status", dataset: { state: "connecting" } }, "Connecting…");
  const exportLink = el("a", { class: "btn admin-export", href: "/api/orders/export.csv", download: "", text: "Download CSV" });
  const tools = el("div", { class: "admin-toolbar" }, live, MANAGERS.has(ctx.user.role) ? exportLink : null);
  main.append(tools);

  const seen = new Set();
  let firstLoad = true;
  const list = createList(main, {
    label: "Orders",
    noun: ["order", "orders"],
    endpoint: "/api/orders",
    navigate: ctx.navigate,
    rowHref: (order) => `/admin/orders/${encodeURIComponent(order.id)}`,
    rowClass: (order) => (!firstLoad && !seen.has(order.id) ? "is-new" : null),
    search: {
      label: "Search",
      help: "An order number (part of it is enough), or the guest's name, e-mail or phone.",
    },
    filters: [
      {
        name: "status",
        label: "Status",
        allLabel: "Any status",
        options: [
          { value: OPEN_STATUSES, label: "Open (not finished)" },
          ...STATUSES.map((status) => ({ value: status, label: statusText(status) })),
        ],
      },
      {
        name: "orderType",
        label: "Type",
        allLabel: "Any type",
        options: Object.entries(TYPE_TEXT).map(([value, label]) => ({ value, label })),
      },
      { name: "locationId", label: "Location", allLabel: "All locations", options: locationOptions },
      { name: "from", label: "From (day)", type: "date" },
      { name: "to", label: "To (day)", type: "date" },
    ],
    columns: [
      { label: "Number", value: (o) => `#${o.orderNumber}` },
      { label: "Placed", value: (o) => formatDateTime(o.createdAt) },
      { label: "Type", value: (o) => typeLabel(o) },
      { label: "Customer", value: partyName },
      { label: "Status", value: (o) => statusBadge(o.status) },
      { label: "Total", value: (o) => money(o.total), align: "end" },
    ],
    empty: "No orders match these filters.",
    onLoad: ({ rows, query }) => {
      for (const order of rows) seen.add(order.id);
      firstLoad = false;
      const csv = new URLSearchParams(query);
      csv.delete("page");
      csv.delete("limit");
      exportLink.href = `/api/orders/export.csv${csv.toString() ? `?${csv}` : ""}`;
    },
  });

  let timer = null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => list.reload({ quiet: true }), REFRESH_MS);
  };
  const setLive = (state, text) => {
    live.dataset.state = state;
    live.textContent = text;
  };
  const socket = new LiveSocket("/api/ws/kitchen", {
    onSnapshot: () => {
      setLive("live", "Live: new orders appear here by themselves.");
      refresh(); // after a reconnect, whatever was missed
    },
    onEvent: (event) => {
      if (event === "order.created" || event === "order.statusUpdate") refresh();
    },
    onState: (state) => {
      if (state === "offline") setLive("offline", "Offline: reconnecting… The list may be out of date.");
      else if (state === "connecting" || state === "reconnecting" || state === "resyncing") setLive("connecting", "Connecting…");
    },
    onRefused: () => setLive("offline", "Live updates are not available: reload the page to log in again."),
  });
  socket.start();
}
