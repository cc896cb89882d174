// Automation (MANAGER+): the rules ("when EVENT happens and CONDITIONS hold, do ACTIONS"), newest first, and the
// form to build one: /admin/automation (the list), /admin/automation/new, /admin/automation/<rule id>.

import { el } from "../../common.js";
import { createList } from "../list.js";
import { CONDITION_OPS, EVENT_TEXT, mountRuleForm } from "../rule-form.js";

const ACTION_TEXT = { email: "E-mail", sms: "Text message", webhook: "Webhook" };

function conditionsText(rule) {
  if (!rule.conditions.length) return "Always";
  return rule.conditions
    .map((c) => `${c.path} ${CONDITION_OPS[c.op] || c.op} ${Array.isArray(c.value) ? c.value.join(", ") : c.value === null ? "empty" : c.value}`)
    .join("; ");
}

function actionsText(rule) {
  return rule.actions
    .map((a) => (a.type === "webhook" ? `Webhook to ${a.url}` : `${ACTION_TEXT[a.type] || a.type} to ${a.to}`))
    .join("; ");
}

function rulesList(main, ctx) {
  ctx.setTitle("Automation");
  const holder = el("div");
  main.replaceChildren(
    el("p", { class: "admin-lead", text: "Rules send an e-mail, a text message or a webhook when something happens, e.g. when an order is ready." }),
    el(
      "div",
      { class: "admin-actions-row" },
      el("a", { class: "btn btn-primary", href: "/admin/automation/new", text: "New rule" }),
      el("a", { class: "btn", href: "/admin/outbox", text: "See what was sent (outbox)" }),
    ),
    holder,
  );
  createList(holder, {
    label: "Rules",
    noun: ["rule", "rules"],
    endpoint: "/api/automation-rules",
    navigate: ctx.navigate,
    rowHref: (rule) => `/admin/automation/${encodeURIComponent(rule.id)}`,
    columns: [
      { label: "Name", key: "name" },
      { label: "When", value: (rule) => EVENT_TEXT[rule.event] || rule.event },
      { label: "If", value: conditionsText },
      { label: "Then", value: actionsText },
      {
        label: "Active",
        value: (rule) => el("span", { class: `admin-status ${rule.isActive ? "admin-delivery-sent" : ""}`, text: rule.isActive ? "Active" : "Off" }),
      },
    ],
    empty: "No rule yet. A rule sends an e-mail, a text message or a webhook when something happens.",
  });
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  const [first] = ctx.path;
  if (!first) {
    rulesList(main, ctx);
    return;
  }
  await mountRuleForm(main, ctx, first === "new" ? null : first);
}
