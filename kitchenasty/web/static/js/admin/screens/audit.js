// Audit log (SUPER_ADMIN): every change staff made, newest first — who, what kind of record, which one, when,
// through what, and each changed field before -> after (secrets arrive masked from the server). Filters by who,
// kind, action, restaurant-local days and a search, all in the address.

import { api, el, formatDateTime, money } from "../../common.js";
import { labelCells, words } from "../insights.js";
import { createList } from "../list.js";

const ACTION_TEXT = { create: "Created", update: "Changed", delete: "Deleted", retry: "Sent again", seen: "Marked seen" };
const ROLE_TEXT = { SUPER_ADMIN: "Administrator", MANAGER: "Manager", STAFF: "Staff" };
const MAX_VALUE = 160;

/** "price_cents" -> "Price", "restaurantName" -> "Restaurant name", "general.smtpPort" -> "General: smtp port". */
function fieldName(path) {
  return path
    .map((part) =>
      words(
        String(part)
          .replace(/_cents$/, "")
          .replace(/([a-z0-9])([A-Z])/g, "$1_$2"),
      ),
    )
    .join(": ");
}

function valueText(value, isCents) {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (isCents && typeof value === "number") return money(value / 100);
  if (value === true) return "yes";
  if (value === false) return "no";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** [[path, before, after, isPair]] from `changes` ({field: [before, after]}, nested per settings group). */
function flatten(changes, path = []) {
  const out = [];
  for (const [key, value] of Object.entries(changes || {})) {
    const here = [...path, key];
    if (Array.isArray(value) && value.length === 2) out.push([here, value[0], value[1], true]);
    else if (value && typeof value === "object" && !Array.isArray(value)) out.push(...flatten(value, here));
    else out.push([here, null, value, false]);
  }
  return out;
}

function changesView(entry) {
  const rows = flatten(entry.changes);
  if (!rows.length) return el("span", { class: "muted", text: "No field changed." });
  return el(
    "ul",
    { class: "admin-changes" },
    rows.map(([path, before, after, pair]) => {
      const cents = /_cents$/.test(String(path[path.length - 1]));
      const item = el("li", {}, el("span", { class: "admin-change-field", text: `${fieldName(path)}: ` }));
      if (!pair || entry.action === "create" || before === null) {
        item.append(el("span", { class: "admin-after", text: valueText(after, cents) }));
      } else if (entry.action === "delete" || after === null) {
        item.append(el("span", { class: "admin-before", text: valueText(before, cents) }), " → ", el("span", { class: "admin-after", text: "(empty)" }));
      } else {
        item.append(el("span", { class: "admin-before", text: valueText(before, cents) }), " → ", el("span", { class: "admin-after", text: valueText(after, cents) }));
      }
      return item;
    }),
  );
}

function who(entry) {
  return el(
    "span",
    { class: "admin-who" },
    el("span", { text: entry.userEmail }),
    entry.userRole ? el("span", { class: "muted admin-who-role", text: ROLE_TEXT[entry.userRole] || words(entry.userRole) }) : null,
  );
}

function record(entry) {
  return el(
    "span",
    { class: "admin-record" },
    el("span", { text: words(entry.entity) }),
    entry.entityId ? el("span", { class: "admin-code muted", text: entry.entityId }) : null,
  );
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Audit log");
  const facets = api("/api/developer/audit-logs/facets").then((r) => (r.ok ? r.data : { entities: [], actions: [], users: [] }));
  const holder = el("div", { class: "admin-stack" });
  main.append(
    el("p", { class: "admin-lead", text: "Every change made by staff, newest first. Secret values are never shown." }),
    holder,
  );
  createList(holder, {
    label: "Audit log",
    noun: ["change", "changes"],
    endpoint: "/api/developer/audit-logs",
    navigate: ctx.navigate,
    search: { label: "Search", help: "Part of an e-mail address or of a record's id." },
    filters: [
      { name: "userId", label: "Who", allLabel: "Anyone", options: async () => (await facets).users.map((u) => ({ value: u.id, label: u.email })) },
      { name: "entity", label: "Kind of record", allLabel: "Any kind", options: async () => (await facets).entities.map((e) => ({ value: e, label: words(e) })) },
      {
        name: "action",
        label: "Action",
        allLabel: "Any action",
        options: async () => (await facets).actions.map((a) => ({ value: a, label: ACTION_TEXT[a] || words(a) })),
      },
      { name: "from", label: "From (day)", type: "date" },
      { name: "to", label: "To (day)", type: "date" },
    ],
    columns: [
      { label: "When", value: (e) => el("time", { datetime: e.createdAt, text: formatDateTime(e.createdAt) }) },
      { label: "Who", value: who },
      { label: "Action", value: (e) => ACTION_TEXT[e.action] || words(e.action) },
      { label: "Record", value: record },
      { label: "Changes", value: changesView },
      { label: "Through", value: (e) => el("span", { class: "admin-code", text: e.via }) },
    ],
    empty: "No change matches these filters.",
    onLoad: () => labelCells(holder),
  });
}
