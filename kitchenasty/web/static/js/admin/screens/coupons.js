// Coupons (managers): the list with how often each was used; /admin/coupons/new and /admin/coupons/<id> the form
// (percentage, fixed amount or free delivery; the window, the minimum order, the limits), deactivate and
// reactivate, delete.

import { api, el, money } from "../../common.js";
import { confirm } from "../dialog.js";
import { amountToCents, centsToAmount, createForm } from "../form.js";
import { createList } from "../list.js";
import { actions, activeBadge, badge, button, dayOf, formatDate, problem } from "../people-common.js";
import { toast } from "../toast.js";

const TYPES = [
  { value: "PERCENTAGE", label: "Percentage off" },
  { value: "FIXED", label: "Fixed amount off" },
  { value: "FREE_DELIVERY", label: "Free delivery" },
];

function valueText(c) {
  if (c.type === "PERCENTAGE") return `${c.value}% off${c.maxDiscount !== null ? ` (at most ${money(c.maxDiscount)})` : ""}`;
  if (c.type === "FIXED") return `${money(c.value)} off`;
  return "Free delivery";
}

function windowText(c) {
  if (c.startsAt && c.expiresAt) return `${formatDate(c.startsAt)} – ${formatDate(c.expiresAt)}`;
  if (c.startsAt) return `From ${formatDate(c.startsAt)}`;
  if (c.expiresAt) return `Until ${formatDate(c.expiresAt)}`;
  return "Always";
}

function usageText(c) {
  return c.usageLimit === null ? `${c.usageCount} (no limit)` : `${c.usageCount} of ${c.usageLimit}`;
}

/** What a coupon's state is right now: inactive, not started, expired, used up, or running. */
function stateBadge(c) {
  if (!c.isActive) return activeBadge(false, { off: "Inactive" });
  const now = Date.now();
  if (c.startsAt && new Date(c.startsAt).getTime() > now) return badge("Not started", "info");
  if (c.expiresAt && new Date(c.expiresAt).getTime() < now) return badge("Expired", "off");
  if (c.usageLimit !== null && c.usageCount >= c.usageLimit) return badge("Used up", "warn");
  return activeBadge(true);
}

function listScreen(main, ctx) {
  ctx.setTitle("Coupons");
  const add = el("a", { class: "btn btn-primary", href: "/admin/coupons/new", text: "New coupon" });
  main.replaceChildren(el("div", { class: "admin-toolbar" }, add));
  createList(main, {
    label: "Coupons",
    noun: ["coupon", "coupons"],
    endpoint: "/api/coupons",
    navigate: ctx.navigate,
    columns: [
      { label: "Code", key: "code" },
      { label: "Discount", value: valueText },
      { label: "Used", value: usageText, sortable: true, sortKey: "usageCount", sortValue: (c) => c.usageCount },
      { label: "State", value: stateBadge },
      { label: "Valid", value: windowText },
      { label: "Minimum order", value: (c) => (c.minOrder ? money(c.minOrder) : "None"), align: "end" },
      { label: "Per customer", value: (c) => (c.perCustomer === null ? "No limit" : String(c.perCustomer)), align: "end" },
    ],
    rowHref: (c) => `/admin/coupons/${encodeURIComponent(c.id)}`,
    empty: "No coupons yet. Make one with “New coupon”.",
  });
}

const PERCENT = /^\d{1,3}(?:[.,]\d{1,2})?$/;

function formValues(c) {
  return {
    code: c.code,
    type: c.type,
    percent: c.type === "PERCENTAGE" ? String(c.value) : "",
    amount: c.type === "FIXED" ? amountToCents(c.value) : null,
    minOrder: c.minOrder ? amountToCents(c.minOrder) : null,
    maxDiscount: c.maxDiscount === null ? null : amountToCents(c.maxDiscount),
    usageLimit: c.usageLimit,
    perCustomer: c.perCustomer,
    startsAt: dayOf(c.startsAt),
    expiresAt: dayOf(c.expiresAt),
  };
}

const EMPTY = { code: "", type: "PERCENTAGE", percent: "", amount: null, minOrder: null, maxDiscount: null, usageLimit: null, perCustomer: 1, startsAt: "", expiresAt: "" };

function invalid(key, message) {
  return Promise.resolve({ ok: false, status: 400, error: message, details: [{ key, message }] });
}

/** The request body from the form's values (amounts as exact decimal strings), or a refusal for the form. */
function body(values) {
  let value = "0";
  if (values.type === "PERCENTAGE") {
    const text = String(values.percent || "").trim();
    if (!PERCENT.test(text)) return { problem: invalid("value", "Enter a percentage such as 10 or 12.5.") };
    value = text.replace(",", ".");
  } else if (values.type === "FIXED") {
    if (values.amount === null) return { problem: invalid("value", "Enter the amount taken off, such as 5.00.") };
    value = centsToAmount(values.amount);
  }
  for (const name of ["usageLimit", "perCustomer"]) {
    const count = values[name];
    if (count !== null && !(Number.isInteger(count) && count >= 1)) {
      return { problem: invalid(name, "Enter a whole number of at least 1, or leave it empty for no limit.") };
    }
  }
  return {
    body: {
      code: values.code,
      type: values.type,
      value,
      minOrder: values.minOrder === null ? null : centsToAmount(values.minOrder),
      maxDiscount: values.type === "PERCENTAGE" && values.maxDiscount !== null ? centsToAmount(values.maxDiscount) : null,
      usageLimit: values.usageLimit,
      perCustomer: values.perCustomer,
      startsAt: values.startsAt || null,
      expiresAt: values.expiresAt || null,
    },
  };
}

async function couponScreen(main, ctx, id) {
  const back = el("p", { class: "admin-back" }, el("a", { href: "/admin/coupons", text: "← All coupons" }));
  const isNew = id === "new";
  let coupon = null;
  if (!isNew) {
    const loaded = await api(`/api/coupons/${encodeURIComponent(id)}`);
    if (!loaded.ok) {
      ctx.setTitle("Coupon");
      main.replaceChildren(back, problem(loaded.status === 404 ? "There is no such coupon." : loaded.error));
      return;
    }
    coupon = loaded.data;
  }
  ctx.setTitle(isNew ? "New coupon" : `Coupon ${coupon.code}`);
  const status = el("div", { class: "admin-coupon-state" });
  const formHost = el("div");
  main.replaceChildren(back, status, formHost);

  function drawStatus() {
    if (!coupon) {
      status.replaceChildren();
      return;
    }
    const toggle = coupon.isActive
      ? button("Deactivate", () => setActive(false), { kind: "danger" })
      : button("Reactivate", () => setActive(true), { kind: "primary" });
    status.replaceChildren(
      el(
        "p",
        { class: "admin-lead" },
        stateBadge(coupon),
        " ",
        `Used ${coupon.usageCount} time${coupon.usageCount === 1 ? "" : "s"}${coupon.usageLimit === null ? "" : ` of ${coupon.usageLimit}`}.`,
      ),
      actions(toggle, button("Delete", remove)),
      el("p", { class: "admin-help", text: "Deactivated, checkout refuses the code; orders that used it keep it." }),
    );
  }

  async function setActive(active) {
    const response = await api(`/api/coupons/${encodeURIComponent(coupon.id)}`, { method: "PATCH", body: { isActive: active } });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    coupon = response.data;
    drawStatus();
    toast(active ? `${coupon.code} can be used again.` : `${coupon.code} is deactivated: checkout refuses it.`, { kind: "success" });
  }

  async function remove() {
    const sure = await confirm({
      title: `Delete coupon ${coupon.code}?`,
      body: "Orders placed with it keep its code. To stop it being used but keep its history, deactivate it instead.",
      confirmLabel: "Delete coupon",
      danger: true,
    });
    if (!sure) return;
    const response = await api(`/api/coupons/${encodeURIComponent(coupon.id)}`, { method: "DELETE" });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    form.markSaved();
    toast(`Coupon ${coupon.code} deleted.`, { kind: "success" });
    await ctx.navigate("/admin/coupons");
  }

  // The API's `value` is the percent or the amount, whichever the kind uses: its errors go to the field shown.
  const percentField = { name: "percent", label: "Percent off", key: "value", inputmode: "decimal", autocomplete: "off", help: "Of the subtotal, e.g. 10 or 12.5." };
  const amountField = { name: "amount", label: "Amount off", type: "money", key: "amount", help: "Taken off the subtotal (never below zero)." };
  const form = createForm(formHost, {
    label: isNew ? "New coupon" : `Coupon ${coupon.code}`,
    fields: [
      { name: "code", label: "Code", required: true, maxLength: 50, autocomplete: "off", help: "What guests type at checkout; kept in capitals." },
      { name: "type", label: "Kind", type: "select", options: TYPES },
      percentField,
      amountField,
      { name: "maxDiscount", label: "Largest discount (optional)", type: "money", help: "Empty: no cap on the percentage's amount." },
      { name: "minOrder", label: "Minimum order (optional)", type: "money", help: "The subtotal an order needs for the coupon. Empty: none." },
      { name: "startsAt", label: "Valid from (optional)", type: "date", help: "From the start of that day. Empty: at once." },
      { name: "expiresAt", label: "Valid until (optional)", type: "date", help: "Through the end of that day. Empty: no end." },
      { name: "usageLimit", label: "Uses in total (optional)", type: "number", min: 1, step: 1, help: "Empty: no limit." },
      { name: "perCustomer", label: "Uses per customer (optional)", type: "number", min: 1, step: 1, help: "Per account, or per e-mail for guests. Empty: no limit." },
    ],
    values: coupon ? formValues(coupon) : EMPTY,
    submitLabel: isNew ? "Create coupon" : "Save",
    submit: (values) => {
      const built = body(values);
      if (built.problem) return built.problem;
      if (isNew) return api("/api/coupons", { method: "POST", body: built.body });
      return api(`/api/coupons/${encodeURIComponent(coupon.id)}`, { method: "PATCH", body: built.body });
    },
    onSaved: (data) => {
      coupon = data;
      toast(isNew ? `Coupon ${data.code} created.` : "Saved.", { kind: "success" });
      if (isNew) {
        form.markSaved();
        ctx.navigate(`/admin/coupons/${encodeURIComponent(data.id)}`, { replace: true });
        return formValues(data);
      }
      ctx.setTitle(`Coupon ${data.code}`);
      drawStatus();
      return formValues(data);
    },
  });

  // Only the value that belongs to the kind is shown (and sent).
  const wrapper = (name) => form.control(name).closest(".admin-field");
  const showKind = () => {
    const kind = form.control("type").value;
    wrapper("percent").hidden = kind !== "PERCENTAGE";
    wrapper("maxDiscount").hidden = kind !== "PERCENTAGE";
    wrapper("amount").hidden = kind !== "FIXED";
    percentField.key = kind === "PERCENTAGE" ? "value" : "percent";
    amountField.key = kind === "FIXED" ? "value" : "amount";
  };
  form.control("type").addEventListener("change", showKind);
  showKind();
  drawStatus();
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  if (ctx.path[0]) await couponScreen(main, ctx, ctx.path[0]);
  else listScreen(main, ctx);
}
