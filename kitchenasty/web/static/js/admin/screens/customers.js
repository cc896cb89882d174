// Customers (managers): the list, searched by name, e-mail or phone, with what each has ordered; a customer's page
// (/admin/customers/<id>) with their totals and orders, deactivate or reactivate, and "Export data (JSON)": every
// thing held about them, for a guest who asks for their data.

import { STATUS_TEXT, api, el, formatDateTime, money, typeLabel } from "../../common.js";
import { confirm } from "../dialog.js";
import { createList } from "../list.js";
import { actions, activeBadge, button, facts, formatDate, problem } from "../people-common.js";
import { toast } from "../toast.js";

function listScreen(main, ctx) {
  ctx.setTitle("Customers");
  createList(main, {
    label: "Customers",
    noun: ["customer", "customers"],
    endpoint: "/api/customers",
    navigate: ctx.navigate,
    search: { label: "Name, e-mail or phone", help: "Part of it is enough." },
    columns: [
      { label: "Name", key: "name" },
      { label: "E-mail", key: "email" },
      { label: "Phone", key: "phone" },
      { label: "Orders", key: "ordersCount", align: "end", sortable: true, sortValue: (c) => c.ordersCount },
      { label: "Spent", value: (c) => money(c.totalSpent), align: "end", sortable: true, sortKey: "totalSpent", sortValue: (c) => c.totalSpent },
      { label: "Last order", value: (c) => (c.lastOrderAt ? formatDateTime(c.lastOrderAt) : "None yet") },
      { label: "Account", value: (c) => activeBadge(c.isActive) },
    ],
    rowHref: (c) => `/admin/customers/${encodeURIComponent(c.id)}`,
    empty: "No customer matches.",
  });
}

function statusBadge(order) {
  return el("span", { class: `admin-status admin-status-${order.status.toLowerCase()}`, text: STATUS_TEXT[order.status] || order.status });
}

function tile(label, value, { small = false } = {}) {
  const kind = small ? "admin-tile-value admin-tile-value-small" : "admin-tile-value";
  return el("li", { class: "admin-tile" }, el("span", { class: "admin-tile-label", text: label }), el("span", { class: kind, text: value }));
}

async function customerScreen(main, ctx, id) {
  const back = el("p", { class: "admin-back" }, el("a", { href: "/admin/customers", text: "← All customers" }));
  const path = `/api/customers/${encodeURIComponent(id)}`;
  const loaded = await api(path);
  if (!loaded.ok) {
    ctx.setTitle("Customer");
    main.replaceChildren(back, problem(loaded.status === 404 ? "There is no such customer." : loaded.error));
    return;
  }
  let customer = loaded.data;
  ctx.setTitle(customer.name);
  const about = el("div");
  const totals = el("ul", { class: "admin-tiles", "aria-label": "Order totals" });
  const access = el("div");

  function draw() {
    const t = customer.totals;
    about.replaceChildren(
      facts(
        [
          ["E-mail", el("a", { href: `mailto:${customer.email}`, text: customer.email })],
          ["Phone", customer.phone],
          ["Account", activeBadge(customer.isActive)],
          ["Password", customer.hasPassword ? "Set (logs in with e-mail and password)" : "None (account without a password)"],
          ["Customer since", formatDate(customer.createdAt)],
        ],
        "About this customer",
      ),
    );
    totals.replaceChildren(
      tile("Orders", String(t.ordersCount)),
      tile("Cancelled", String(t.cancelledCount)),
      tile("Spent", money(t.totalSpent)),
      tile("First order", t.firstOrderAt ? formatDate(t.firstOrderAt) : "None yet", { small: true }),
      tile("Last order", t.lastOrderAt ? formatDate(t.lastOrderAt) : "None yet", { small: true }),
    );
    const toggle = customer.isActive
      ? button("Deactivate", () => setActive(false), { kind: "danger" })
      : button("Reactivate", () => setActive(true), { kind: "primary" });
    access.replaceChildren(
      el("p", {
        text: customer.isActive
          ? "Deactivating logs them out everywhere at once and refuses their logins; their orders stay."
          : "This account is deactivated: logging in is refused. Their orders stay.",
      }),
      actions(
        toggle,
        el("a", {
          class: "btn",
          href: `${path}/export`,
          download: `customer-${customer.id}.json`,
          text: "Export data (JSON)",
        }),
      ),
      el("p", { class: "admin-help", text: "The export holds everything kept about them: profile, orders with their items, delivery addresses and coupon uses." }),
    );
  }

  async function setActive(active) {
    if (!active) {
      const sure = await confirm({
        title: `Deactivate ${customer.name}?`,
        body: "They are logged out at once and cannot log in until you reactivate the account. Their orders stay.",
        confirmLabel: "Deactivate",
        danger: true,
      });
      if (!sure) return;
    }
    const response = await api(path, { method: "PATCH", body: { isActive: active } });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    customer = response.data;
    draw();
    toast(active ? `${customer.name} can log in again.` : `${customer.name}'s account is deactivated.`, { kind: "success" });
  }

  const ordersHost = el("div");
  main.replaceChildren(
    back,
    about,
    el("section", { class: "admin-section", "aria-labelledby": "customer-totals-title" }, el("h2", { class: "admin-section-title", id: "customer-totals-title", text: "Totals" }), totals, el("p", { class: "admin-help", text: "Spent counts the orders that were not cancelled." })),
    el("section", { class: "admin-section", "aria-labelledby": "customer-access-title" }, el("h2", { class: "admin-section-title", id: "customer-access-title", text: "Account and data" }), access),
    el("section", { class: "admin-section", "aria-labelledby": "customer-orders-title" }, el("h2", { class: "admin-section-title", id: "customer-orders-title", text: "Orders" }), ordersHost),
  );
  draw();
  createList(ordersHost, {
    label: `Orders of ${customer.name}`,
    noun: ["order", "orders"],
    endpoint: `${path}/orders`,
    navigate: ctx.navigate,
    columns: [
      { label: "Number", value: (o) => `#${o.orderNumber}` },
      { label: "Placed", value: (o) => formatDateTime(o.createdAt) },
      { label: "Type", value: (o) => typeLabel(o) },
      { label: "Status", value: statusBadge },
      { label: "Total", value: (o) => money(o.total), align: "end" },
    ],
    rowHref: (o) => `/admin/orders/${encodeURIComponent(o.id)}`,
    empty: "No orders yet.",
  });
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  if (ctx.path[0]) await customerScreen(main, ctx, ctx.path[0]);
  else listScreen(main, ctx);
}
