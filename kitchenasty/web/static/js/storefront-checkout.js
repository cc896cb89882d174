// The storefront's checkout: order type, contact, address or table, time, tip, coupon, the server's quote, placing.

import { $, api, el, money, randomKey, storage } from "./common.js";
import { renderCart, saveCart } from "./storefront-cart.js";
import { paymentMethod, setupPayment, startPayment } from "./storefront-payment.js";
import { CHECKOUT_KEY, PENDING_KEY, QUOTE_GUEST, TYPE_TEXT, orderingPaused, ordersSettings, state } from "./storefront-state.js";

// ------------------------------------------------------------------ checkout

function checkoutPrefs() {
  return storage.get(CHECKOUT_KEY, {}) || {};
}

function savePrefs() {
  storage.set(CHECKOUT_KEY, {
    orderType: orderType(),
    guestName: $("#guest-name").value,
    guestEmail: $("#guest-email").value,
    guestPhone: $("#guest-phone").value,
    line1: $("#addr-line1").value,
    line2: $("#addr-line2").value,
    city: $("#addr-city").value,
    postalCode: $("#addr-postal").value,
  });
}

export function setupTypes() {
  const location = state.location;
  const types = [];
  if (location.pickupEnabled !== false) types.push("PICKUP");
  if (location.deliveryEnabled) types.push("DELIVERY");
  if (location.dineInEnabled) types.push("DINE_IN");
  const prefs = checkoutPrefs();
  const preferred = types.includes(prefs.orderType) ? prefs.orderType : types[0];
  $("#type-options").replaceChildren(
    ...types.map((type) =>
      el(
        "label",
        { class: "pill" },
        el("input", { type: "radio", name: "orderType", value: type, checked: type === preferred }),
        el("span", { text: TYPE_TEXT[type] }),
      ),
    ),
  );
  for (const [id, key] of [
    ["#guest-name", "guestName"],
    ["#guest-email", "guestEmail"],
    ["#guest-phone", "guestPhone"],
    ["#addr-line1", "line1"],
    ["#addr-line2", "line2"],
    ["#addr-city", "city"],
    ["#addr-postal", "postalCode"],
  ]) {
    if (!$(id).value && prefs[key]) $(id).value = prefs[key];
  }
  typeChanged();
}

function orderType() {
  const checked = document.querySelector("input[name=orderType]:checked");
  return checked ? checked.value : "PICKUP";
}

async function typeChanged() {
  const type = orderType();
  $("#address-field").hidden = type !== "DELIVERY";
  $("#table-field").hidden = type !== "DINE_IN";
  syncSchedule();
  if (type === "DINE_IN" && state.tablesFor !== state.location.id) {
    state.tablesFor = state.location.id;
    const response = await api(`/api/locations/${encodeURIComponent(state.location.id)}/tables`);
    const tables = response.ok ? response.data || [] : [];
    $("#table-select").replaceChildren(
      el("option", { value: "", text: tables.length ? "Choose your table" : "No tables available" }),
      ...tables
        .filter((table) => table.isActive !== false)
        .map((table) => el("option", { value: table.id, text: table.name })),
    );
  }
}

/** While closed, an order can only be for later: "As soon as possible" is switched off. */
export function syncWhen() {
  if (!ordersSettings.enableFutureOrdering) return;
  const closed = !state.location.isOpenNow;
  const asap = document.querySelector("input[name=when][value=asap]");
  asap.disabled = closed;
  if (closed && asap.checked) document.querySelector("input[name=when][value=later]").checked = true;
  syncSchedule();
}

function syncSchedule() {
  if (!ordersSettings.enableFutureOrdering) return;
  const later = document.querySelector("input[name=when]:checked").value === "later";
  $("#when-later").hidden = !later;
  if (!later) return;
  const { min, max } = scheduleBounds();
  const input = $("#scheduled-at");
  input.min = min;
  input.max = max;
  const location = state.location || {};
  const opens = !location.isOpenNow && location.opensAt ? localInput(new Date(location.opensAt)) : "";
  if (!input.value || input.value < min) input.value = opens > min ? opens : min;
}

function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function scheduleBounds() {
  const local = localInput;
  const location = state.location || {};
  const lead = orderType() === "DELIVERY" ? location.deliveryLeadTime : location.pickupLeadTime;
  // At least the location's lead time (30 minutes if it has none), plus five to fill the form, on a 5-minute mark.
  const earliest = Date.now() + (Math.max(lead || 0, 30) + 5) * 60000;
  const min = new Date(Math.ceil(earliest / 300000) * 300000);
  const max = new Date(Date.now() + (ordersSettings.maxScheduleDays || 7) * 86400000);
  return { min: local(min), max: local(max) };
}

function tipAmount() {
  if (state.tip === "none") return 0;
  if (state.tip === "custom") {
    const value = Number.parseFloat($("#tip-custom").value.replace(",", "."));
    return Number.isFinite(value) && value > 0 ? Math.round(value * 100) / 100 : 0;
  }
  // A percentage of the subtotal the server quoted (an input to the quote, not a total computed here).
  const subtotal = state.quote ? state.quote.subtotal : 0;
  return Math.round(subtotal * 100 * Number(state.tip)) / 10000;
}

function orderBody({ forQuote }) {
  const type = orderType();
  const body = {
    orderType: type,
    locationId: state.location.id,
    items: state.lines.map((line) => {
      const item = { menuItemId: line.menuItemId, quantity: line.quantity, options: line.options.map((o) => ({ menuOptionValueId: o.menuOptionValueId })) };
      if (line.comment) item.comment = line.comment;
      return item;
    }),
  };
  const comment = $("#order-comment").value.trim();
  if (comment) body.comment = comment;
  if (state.coupon) body.couponCode = state.coupon;
  const tip = ordersSettings.enableTipping ? tipAmount() : 0;
  if (tip > 0) body.tip = tip;
  if (!forQuote && paymentMethod() !== "CASH") body.paymentMethod = paymentMethod();
  if (type === "DELIVERY") {
    const address = {
      line1: $("#addr-line1").value.trim(),
      line2: $("#addr-line2").value.trim(),
      city: $("#addr-city").value.trim(),
      postalCode: $("#addr-postal").value.trim(),
      notes: $("#addr-notes").value.trim(),
    };
    for (const key of Object.keys(address)) if (!address[key]) delete address[key];
    if (address.line1 && address.city) body.address = address;
  }
  if (type === "DINE_IN" && $("#table-select").value) body.tableId = $("#table-select").value;
  if (ordersSettings.enableFutureOrdering && document.querySelector("input[name=when]:checked").value === "later") {
    const value = $("#scheduled-at").value;
    if (value) body.scheduledAt = new Date(value).toISOString();
  }
  if (!isCustomer()) {
    if (forQuote) {
      // The quote runs every check of a real order, the guest's contact details included. They never change a
      // price, so a quote carries stand-ins: totals show while the guest is still typing them.
      Object.assign(body, QUOTE_GUEST);
    } else {
      body.guestName = $("#guest-name").value.trim();
      body.guestEmail = $("#guest-email").value.trim();
      body.guestPhone = $("#guest-phone").value.trim();
    }
  }
  return body;
}

let quoteTimer = null;

export function requote() {
  clearTimeout(quoteTimer);
  if (!state.location || !state.lines.length || orderingPaused()) {
    state.quote = null;
    state.quoteError = "";
    renderTotals();
    return;
  }
  quoteTimer = setTimeout(runQuote, 200);
}

async function runQuote(again = true) {
  const seq = ++state.quoteSeq;
  const body = orderBody({ forQuote: true });
  const response = await api("/api/orders/quote", { method: "POST", body });
  if (seq !== state.quoteSeq) return; // a newer quote is on its way
  if (response.ok) {
    state.quote = response.data;
    state.quoteError = "";
    const sentTip = body.tip || 0;
    if (again && ordersSettings.enableTipping && state.tip !== "none" && state.tip !== "custom" && tipAmount() !== sentTip) {
      runQuote(false); // the percentage tip follows the freshly quoted subtotal
      return;
    }
  } else if (state.coupon && String(response.code || "").includes("COUPON")) {
    $("#coupon-status").textContent = response.error;
    state.coupon = "";
    runQuote(again);
    return;
  } else {
    state.quote = null;
    state.quoteError = response.error;
  }
  renderCart();
  renderTotals();
}

function renderTotals() {
  const quote = state.quote;
  const totals = $("#totals");
  $("#checkout-error").textContent = state.quoteError || "";
  if (!quote) {
    totals.replaceChildren();
    return;
  }
  const rows = [["Subtotal", quote.subtotal]];
  if (quote.discount) rows.push([quote.couponCode ? `Discount (${quote.couponCode})` : "Discount", -quote.discount]);
  if (orderType() === "DELIVERY" || quote.deliveryFee) rows.push(["Delivery fee", quote.freeDelivery ? 0 : quote.deliveryFee]);
  if (quote.tax) rows.push([`Tax${quote.taxRate ? ` (${quote.taxRate}%)` : ""}`, quote.tax]);
  if (quote.tip) rows.push(["Tip", quote.tip]);
  rows.push(["Total", quote.total]);
  totals.replaceChildren(
    ...rows.flatMap(([term, value], i) => {
      const last = i === rows.length - 1;
      return [
        el("dt", { class: last ? "total" : null, text: term }),
        el("dd", { class: last ? "total" : null, dataset: last ? { total: "" } : {}, text: value < 0 ? `−${money(-value)}` : money(value) }),
      ];
    }),
  );
  if (state.coupon && quote.couponCode) $("#coupon-status").textContent = `Coupon ${quote.couponCode} applied.`;
}

export function wireCheckout() {
  const form = $("#checkout");
  $("#type-options").addEventListener("change", () => {
    typeChanged();
    savePrefs();
    requote();
  });
  for (const id of ["#addr-line1", "#addr-city", "#addr-postal", "#table-select", "#scheduled-at"]) {
    $(id).addEventListener("change", () => {
      savePrefs();
      requote();
    });
  }
  for (const id of ["#guest-name", "#guest-email", "#guest-phone", "#addr-line2"]) $(id).addEventListener("change", savePrefs);

  // coupon
  const couponWrap = $("#coupon-code").closest(".coupon");
  couponWrap.append(el("p", { class: "muted", id: "coupon-status", role: "status" }));
  $("#coupon-apply").addEventListener("click", () => {
    state.coupon = $("#coupon-code").value.trim();
    $("#coupon-status").textContent = state.coupon ? "Checking the coupon…" : "";
    requote();
  });

  // scheduled time
  if (ordersSettings.enableFutureOrdering) {
    $("#when-field").hidden = false;
    for (const radio of document.querySelectorAll("input[name=when]")) {
      radio.addEventListener("change", () => {
        syncSchedule();
        requote();
      });
    }
  }

  // tip
  if (ordersSettings.enableTipping) {
    $("#tip-field").hidden = false;
    const choices = [["none", "No tip"], ...(ordersSettings.tipOptions || []).map((pct) => [String(pct), `${pct}%`]), ["custom", "Other"]];
    $("#tip-options").replaceChildren(
      ...choices.map(([value, label]) =>
        el("label", { class: "pill" }, el("input", { type: "radio", name: "tip", value, checked: value === "none" }), el("span", { text: label })),
      ),
    );
    $("#tip-options").addEventListener("change", () => {
      state.tip = document.querySelector("input[name=tip]:checked").value;
      $("#tip-custom-wrap").hidden = state.tip !== "custom";
      requote();
    });
    $("#tip-custom").addEventListener("change", requote);
  }

  setupPayment();
  form.addEventListener("submit", placeOrder);
}

export function isCustomer() {
  return Boolean(state.me && state.me.type === "customer");
}

function checkoutProblem() {
  const type = orderType();
  if (!state.lines.length) return ["Your cart is empty.", null];
  if (!isCustomer()) {
    if (!$("#guest-name").value.trim()) return ["Enter your name.", "#guest-name"];
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test($("#guest-email").value.trim())) return ["Enter a valid e-mail address.", "#guest-email"];
    if (!$("#guest-phone").value.trim()) return ["Enter a phone number so the restaurant can reach you.", "#guest-phone"];
  }
  if (type === "DELIVERY") {
    if (!$("#addr-line1").value.trim()) return ["Enter the delivery street and number.", "#addr-line1"];
    if (!$("#addr-city").value.trim()) return ["Enter the delivery city.", "#addr-city"];
  }
  if (type === "DINE_IN" && !$("#table-select").value) return ["Choose your table.", "#table-select"];
  return null;
}

async function placeOrder(event) {
  event.preventDefault();
  if (state.placing || orderingPaused()) return;
  const error = $("#checkout-error");
  const problem = checkoutProblem();
  if (problem) {
    error.textContent = problem[0];
    if (problem[1]) $(problem[1]).focus();
    return;
  }
  savePrefs();
  const body = orderBody({ forQuote: false });
  const fingerprint = JSON.stringify(body);
  // One key per submission of this cart: a retry after a lost answer returns the same order, never a second one.
  let pending = storage.get(PENDING_KEY);
  if (!pending || pending.fingerprint !== fingerprint) {
    pending = { key: randomKey(), fingerprint };
    storage.set(PENDING_KEY, pending);
  }
  const button = $("#place-order");
  state.placing = true;
  button.disabled = true;
  button.textContent = "Placing your order…";
  error.textContent = "";
  const response = await api("/api/orders", { method: "POST", body, headers: { "Idempotency-Key": pending.key } });
  state.placing = false;
  button.disabled = orderingPaused();
  button.textContent = "Place order";
  if (response.ok && response.data && response.data.id) {
    storage.remove(PENDING_KEY);
    state.lines = [];
    saveCart();
    const order = response.data;
    if (await startPayment(order)) return;
    location.assign(`/track/${encodeURIComponent(order.id)}?t=${encodeURIComponent(order.trackingToken)}`);
    return;
  }
  if (response.status === 0 || response.status >= 500) {
    error.textContent = `${response.error} Your order may not have reached the restaurant yet: press “Place order” again, it will not be placed twice.`;
    return;
  }
  storage.remove(PENDING_KEY); // refused: nothing was placed, the corrected order gets a new key
  const details = (response.details || []).map((d) => d.message).filter(Boolean);
  error.textContent = details.length && !response.error.includes(details[0]) ? `${response.error} ${details.join(" ")}` : response.error;
  requote();
}
