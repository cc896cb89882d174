// The storefront: choose a restaurant, browse the menu, pick options, keep a cart across reloads, check out as a
// guest or a customer. Every total shown comes from POST /api/orders/quote; nothing is summed here.

import { $, LiveSocket, api, config, el, money, optionText, randomKey, storage } from "./common.js";

const ordersSettings = (config.site && config.site.orders) || {};
const LOCATION_KEY = "kitchenasty.location";
const PENDING_KEY = "kitchenasty.pendingOrder";
const CHECKOUT_KEY = "kitchenasty.checkout";
const cartKey = (locationId) => `kitchenasty.cart.${locationId}`;
const TYPE_TEXT = { PICKUP: "Pickup", DELIVERY: "Delivery", DINE_IN: "At a table" };
const MAX_QTY = 100;
const QUOTE_GUEST = { guestName: "Guest", guestEmail: "guest@example.invalid", guestPhone: "0000000000" };

const state = {
  locations: [],
  location: null,
  items: new Map(),
  lines: [],
  me: null,
  quote: null,
  quoteError: "",
  quoteSeq: 0,
  coupon: "",
  tip: "none",
  tablesFor: null,
  dialog: null,
  placing: false,
  cartInView: false,
  closedNotice: "",
  refreshTimer: null,
  menuSeq: 0,
};

/** Closed now, with no ordering for later: the menu can be browsed and the cart is kept, but nothing is added or
 * placed until the location opens. */
function orderingPaused() {
  return Boolean(state.location && !state.location.isOpenNow && !ordersSettings.enableFutureOrdering);
}

// ------------------------------------------------------------------ boot

async function boot() {
  // On a phone the cart sits below the menu: a floating "View order" link leads there while it is out of sight.
  if ("IntersectionObserver" in window) {
    new IntersectionObserver((entries) => {
      state.cartInView = entries.some((entry) => entry.isIntersecting);
      $("#cart-jump").hidden = state.lines.length === 0 || state.cartInView;
    }).observe($("#cart"));
  }
  wireCheckout();
  wireItemDialog();
  wireAuth();
  const advanced = (config.site && config.site.advanced) || {};
  if (advanced.maintenanceMode) state.closedNotice = advanced.maintenanceMessage || "We are doing some maintenance: ordering is paused.";
  else if (ordersSettings.enabled === false) state.closedNotice = "Online ordering is turned off at the moment.";
  if (state.closedNotice) storeError(state.closedNotice);
  await loadMe();
  const response = await api("/api/locations?limit=100");
  $("#store-loading").hidden = true;
  if (!response.ok) return storeError(response.error);
  state.locations = (response.data || []).filter((location) => location.isActive !== false);
  if (!state.locations.length) return storeError("Online ordering is not open yet. Please come back later.");
  const saved = storage.get(LOCATION_KEY);
  const known = state.locations.find((location) => location.id === saved);
  if (known) selectLocation(known.id);
  else if (state.locations.length === 1) selectLocation(state.locations[0].id);
  else showLocationPicker();
}

function storeError(message) {
  const box = $("#store-error");
  box.textContent = message;
  box.hidden = false;
}

function showLocationPicker() {
  $("#store").hidden = true;
  $("#cart-jump").hidden = true;
  const picker = $("#location-picker");
  picker.hidden = false;
  $("#location-list").replaceChildren(
    ...state.locations.map((location) =>
      el(
        "li",
        {},
        el(
          "button",
          { type: "button", class: "location-choice", onclick: () => selectLocation(location.id) },
          el("strong", { text: location.name }),
          location.address || location.city
            ? el("span", { class: "muted", text: [location.address, location.city].filter(Boolean).join(", ") })
            : null,
        ),
      ),
    ),
  );
  const first = picker.querySelector("button");
  if (first) first.focus();
}

async function selectLocation(id) {
  state.menuSeq += 1;
  if (state.closedNotice) storeError(state.closedNotice);
  else $("#store-error").hidden = true;
  const response = await api(`/api/menu?locationId=${encodeURIComponent(id)}`);
  if (!response.ok) {
    storage.remove(LOCATION_KEY);
    return storeError(response.error);
  }
  storage.set(LOCATION_KEY, id);
  state.location = response.data.location;
  state.items = new Map();
  $("#location-picker").hidden = true;
  $("#store").hidden = false;
  $("#location-name").textContent = state.location.name;
  $("#change-location").hidden = state.locations.length < 2;
  renderLocationNote();
  renderMenu(response.data.categories || []);
  loadCart(id);
  setupTypes();
  syncWhen();
  renderCart();
  requote();
  scheduleRefresh();
  followMenu();
}

/** The saved cart, less the lines whose item has left the menu (said once, by name). */
function loadCart(id) {
  const saved = (storage.get(cartKey(id), []) || []).filter((line) => line && line.menuItemId && line.quantity > 0);
  state.lines = saved.filter((line) => state.items.has(line.menuItemId));
  const gone = [...new Set(saved.filter((line) => !state.items.has(line.menuItemId)).map((line) => line.name || "An item"))];
  const notice = $("#cart-notice");
  notice.hidden = gone.length === 0;
  if (gone.length) {
    const names = gone.length === 1 ? gone[0] : `${gone.slice(0, -1).join(", ")} and ${gone[gone.length - 1]}`;
    notice.textContent =
      gone.length === 1
        ? `${names} is no longer on the menu, so it was taken out of your order.`
        : `${names} are no longer on the menu, so they were taken out of your order.`;
    saveCart();
  }
}

/** Read the menu again when the location opens or closes (within the day), so the page follows the clock. */
function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  const location = state.location;
  const next = location.isOpenNow ? location.closesAt : location.opensAt;
  if (!next) return;
  const wait = new Date(next).getTime() - Date.now() + 1000;
  if (wait > 0 && wait < 86400000) state.refreshTimer = setTimeout(() => selectLocation(location.id), wait);
}

// ------------------------------------------------------------------ the live menu

// The menu room says when the menu or a location changed (an item sold out, hours edited, ordering paused); the
// page then reads its location's menu again, without a reload, keeping the cart, the form and the focus.
let menuSocket = null;
let menuReload = null;
let menuSnapshots = 0;

function followMenu() {
  if (menuSocket || typeof WebSocket === "undefined") return;
  menuSocket = new LiveSocket("/api/ws/menu", {
    onSnapshot: () => {
      menuSnapshots += 1;
      if (menuSnapshots > 1) menuChanged(null); // back after a lost connection: something may have changed
    },
    onEvent: (event, data) => {
      if (event === "menu.changed") menuChanged(data && data.locationId);
    },
  });
  menuSocket.start();
}

function menuChanged(locationId) {
  if (!state.location || (locationId && locationId !== state.location.id) || menuReload) return;
  // every open storefront hears the same message: spread their reads over a moment
  menuReload = setTimeout(() => {
    menuReload = null;
    refreshMenu();
  }, 100 + Math.floor(Math.random() * 900));
}

async function refreshMenu() {
  const id = state.location && state.location.id;
  if (!id) return;
  const mine = ++state.menuSeq;
  const response = await api(`/api/menu?locationId=${encodeURIComponent(id)}`);
  if (!response.ok || mine !== state.menuSeq || !state.location || state.location.id !== id) return;
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.itemId : null;
  state.location = response.data.location;
  state.items = new Map();
  renderLocationNote();
  renderMenu(response.data.categories || []);
  if (focused) {
    const again = document.querySelector(`#menu [data-item-id="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
  if (state.dialog) {
    const now = state.items.get(state.dialog.item.id);
    if (!now || now.isAvailable === false) $("#item-error").textContent = `${state.dialog.item.name} cannot be ordered right now.`;
  }
  renderCart();
  requote();
  scheduleRefresh();
}

function renderLocationNote() {
  const location = state.location;
  $("#opening-note").textContent = location.openingNote || (location.isOpenNow ? "Open now" : "Closed now");
  $("#hours-today").textContent = location.hoursToday || "";
  $("#opening").classList.toggle("is-closed", !location.isOpenNow);
  $("#opening").hidden = false;
  const notes = [];
  if (!location.isOpenNow) {
    notes.push(
      ordersSettings.enableFutureOrdering
        ? "We are closed now: you can schedule an order for later."
        : "Ordering is paused while we are closed. You can look through the menu, and your order is kept until we open.",
    );
  }
  if (location.isBusy) notes.push(location.busyMessage || "We are very busy: orders may take longer than usual.");
  const box = $("#location-note");
  box.textContent = notes.join(" ");
  box.hidden = notes.length === 0;
}

// ------------------------------------------------------------------ menu

function hasItems(category) {
  return (category.items || []).length > 0 || (category.children || []).some(hasItems);
}

function renderMenu(categories) {
  const visible = categories.filter(hasItems);
  $("#category-nav").replaceChildren(
    ...visible.map((category) => el("a", { href: `#cat-${category.id}`, class: "chip", text: category.name })),
  );
  const menu = $("#menu");
  menu.replaceChildren(...visible.map((category) => renderCategory(category, 0)));
  if (!visible.length) menu.replaceChildren(el("p", { class: "muted", text: "Nothing on the menu right now." }));
}

function renderCategory(category, depth) {
  const heading = `h${Math.min(2 + depth, 6)}`;
  const itemHeading = `h${Math.min(3 + depth, 6)}`;
  const items = (category.items || []).slice();
  for (const item of items) state.items.set(item.id, item);
  return el(
    "section",
    { class: `category depth-${depth}`, id: `cat-${category.id}`, "aria-labelledby": `cat-${category.id}-title` },
    el(heading, { class: "category-title", id: `cat-${category.id}-title`, text: category.name }),
    category.description ? el("p", { class: "muted", text: category.description }) : null,
    items.length ? el("ul", { class: "items" }, items.map((item) => renderItem(item, itemHeading))) : null,
    (category.children || []).filter(hasItems).map((child) => renderCategory(child, depth + 1)),
  );
}

function renderItem(item, heading) {
  const allergens = (item.allergens || []).map((allergen) => allergen.name).join(", ");
  return el(
    "li",
    { class: `item${item.isAvailable === false ? " is-unavailable" : ""}` },
    el(
      "article",
      { class: "item-card" },
      el(heading, { class: "item-name", text: item.name }),
      item.description ? el("p", { class: "item-description", text: item.description }) : null,
      allergens ? el("p", { class: "allergens", text: `Contains: ${allergens}` }) : null,
      el(
        "div",
        { class: "item-foot" },
        el("span", { class: "price", text: money(item.price) }),
        item.isAvailable === false
          ? el("span", { class: "availability", text: item.availabilityNote || "Not available right now" })
          : el("button", {
              type: "button",
              class: "btn btn-primary",
              "aria-label": `Add ${item.name}`,
              "aria-describedby": orderingPaused() ? "location-note" : null,
              disabled: orderingPaused(),
              dataset: { itemId: item.id },
              onclick: () => openItem(item),
              text: "Add",
            }),
      ),
    ),
  );
}

// ------------------------------------------------------------------ item dialog

function isSingle(option) {
  return option.displayType === "SELECT" || option.displayType === "RADIO";
}

function limits(option) {
  const min = Math.max(option.minSelect || 0, option.isRequired ? 1 : 0);
  let max = option.maxSelect && option.maxSelect > 0 ? option.maxSelect : Infinity;
  if (isSingle(option)) max = 1;
  return { min, max };
}

function hint(option) {
  const { min, max } = limits(option);
  if (isSingle(option)) return option.isRequired ? "Required" : "Optional";
  if (min && max !== Infinity) return min === max ? `Choose ${min}` : `Choose ${min} to ${max}`;
  if (min) return `Choose at least ${min}`;
  if (max !== Infinity) return `Optional, up to ${max}`;
  return "Optional";
}

function byOrder(a, b) {
  return (a.sortOrder || 0) - (b.sortOrder || 0);
}

function modifierText(value) {
  const amount = Number(value.priceModifier || 0);
  if (!amount) return "";
  return amount > 0 ? ` (+${money(amount)})` : ` (−${money(-amount)})`;
}

function openItem(item, opener) {
  const dialog = $("#item-dialog");
  const options = (item.options || []).slice().sort(byOrder);
  const selected = new Map();
  state.dialog = { item, options, selected, quantity: 1, opener: opener || document.activeElement };
  $("#item-title").textContent = item.name;
  $("#item-description").textContent = item.description || "";
  $("#item-price").textContent = money(item.price);
  const allergens = (item.allergens || []).map((allergen) => allergen.name).join(", ");
  $("#item-allergens").textContent = allergens ? `Contains: ${allergens}` : "";
  $("#item-comment").value = "";
  $("#item-error").textContent = "";
  $("#qty-value").textContent = "1";
  const container = $("#item-options");
  container.replaceChildren(
    ...options.map((option) => {
      const values = (option.values || []).slice().sort(byOrder);
      const chosen = new Set(values.filter((value) => value.isDefault).map((value) => value.id));
      if (isSingle(option) && chosen.size > 1) chosen.clear();
      if (isSingle(option) && option.isRequired && chosen.size === 0 && values.length) chosen.add(values[0].id);
      selected.set(option.id, chosen);
      return renderOption(option, values, chosen);
    }),
  );
  syncOptionLimits();
  dialog.showModal();
}

function renderOption(option, values, chosen) {
  const legendId = `opt-${option.id}-legend`;
  const hintEl = el("span", { class: "option-hint", id: `opt-${option.id}-hint`, text: hint(option) });
  const fieldset = el(
    "fieldset",
    { class: "option", dataset: { optionId: option.id }, "aria-describedby": `opt-${option.id}-hint` },
    el("legend", { id: legendId }, option.name, " ", hintEl),
  );
  if (option.displayType === "SELECT") {
    const select = el(
      "select",
      { id: `opt-${option.id}`, "aria-labelledby": legendId },
      option.isRequired ? null : el("option", { value: "", text: "None" }),
      values.map((value) =>
        el("option", { value: value.id, selected: chosen.has(value.id), text: `${value.name}${modifierText(value)}` }),
      ),
    );
    select.addEventListener("change", () => {
      chosen.clear();
      if (select.value) chosen.add(select.value);
      syncOptionLimits();
    });
    fieldset.append(select);
    return fieldset;
  }
  const single = isSingle(option);
  const inputs = values.map((value) => {
    const input = el("input", {
      type: single ? "radio" : "checkbox",
      name: `opt-${option.id}`,
      value: value.id,
      checked: chosen.has(value.id),
    });
    input.addEventListener("change", () => {
      if (single) chosen.clear();
      if (input.checked) chosen.add(value.id);
      else chosen.delete(value.id);
      syncOptionLimits();
    });
    return el("label", { class: "check" }, input, el("span", { text: `${value.name}${modifierText(value)}` }));
  });
  if (single && !option.isRequired) {
    const none = el("input", { type: "radio", name: `opt-${option.id}`, value: "", checked: chosen.size === 0 });
    none.addEventListener("change", () => {
      chosen.clear();
      syncOptionLimits();
    });
    inputs.unshift(el("label", { class: "check" }, none, el("span", { text: "None" })));
  }
  fieldset.append(...inputs);
  return fieldset;
}

/** Multi-choice options stop accepting ticks at their maximum. */
function syncOptionLimits() {
  const dialog = state.dialog;
  if (!dialog) return;
  for (const option of dialog.options) {
    if (isSingle(option)) continue;
    const { max } = limits(option);
    const chosen = dialog.selected.get(option.id);
    const fieldset = $(`fieldset[data-option-id="${CSS.escape(option.id)}"]`);
    for (const input of fieldset.querySelectorAll("input[type=checkbox]")) {
      input.disabled = !input.checked && chosen.size >= max;
    }
  }
}

function optionProblems() {
  const dialog = state.dialog;
  const problems = [];
  for (const option of dialog.options) {
    const { min, max } = limits(option);
    const count = dialog.selected.get(option.id).size;
    const fieldset = $(`fieldset[data-option-id="${CSS.escape(option.id)}"]`);
    let problem = "";
    if (count < min) problem = min === 1 ? `Choose ${option.name}.` : `Choose at least ${min} for ${option.name}.`;
    else if (count > max) problem = `Choose at most ${max} for ${option.name}.`;
    fieldset.toggleAttribute("aria-invalid", Boolean(problem));
    fieldset.classList.toggle("is-invalid", Boolean(problem));
    if (problem) problems.push({ problem, fieldset });
  }
  return problems;
}

function wireItemDialog() {
  const dialog = $("#item-dialog");
  $("#qty-minus").addEventListener("click", () => setDialogQty(state.dialog.quantity - 1));
  $("#qty-plus").addEventListener("click", () => setDialogQty(state.dialog.quantity + 1));
  $("#item-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    const opener = state.dialog && state.dialog.opener;
    state.dialog = null;
    if (opener && opener.isConnected) opener.focus();
  });
  $("#item-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const problems = optionProblems();
    if (problems.length) {
      $("#item-error").textContent = problems.map((p) => p.problem).join(" ");
      const focusable = problems[0].fieldset.querySelector("input:not([disabled]), select");
      if (focusable) focusable.focus();
      return;
    }
    addToCart();
    dialog.close();
  });
}

function setDialogQty(quantity) {
  state.dialog.quantity = Math.max(1, Math.min(MAX_QTY, quantity));
  $("#qty-value").textContent = String(state.dialog.quantity);
}

function addToCart() {
  const { item, options, selected, quantity } = state.dialog;
  const chosen = [];
  for (const option of options) {
    for (const value of (option.values || []).slice().sort(byOrder)) {
      if (selected.get(option.id).has(value.id)) chosen.push({ menuOptionValueId: value.id, name: option.name, value: value.name });
    }
  }
  const comment = $("#item-comment").value.trim();
  const key = [item.id, ...chosen.map((c) => c.menuOptionValueId).sort(), comment].join("|");
  const existing = state.lines.find((line) => line.key === key);
  if (existing) existing.quantity = Math.min(MAX_QTY, existing.quantity + quantity);
  else state.lines.push({ key, menuItemId: item.id, name: item.name, quantity, comment, options: chosen });
  cartChanged();
}

// ------------------------------------------------------------------ cart

function saveCart() {
  if (state.location) storage.set(cartKey(state.location.id), state.lines);
}

function cartChanged() {
  saveCart();
  renderCart();
  requote();
}

function setLineQty(index, quantity) {
  if (quantity <= 0) state.lines.splice(index, 1);
  else state.lines[index].quantity = Math.min(MAX_QTY, quantity);
  cartChanged();
}

function renderCart() {
  const count = state.lines.reduce((sum, line) => sum + line.quantity, 0);
  $("#cart-count").textContent = count ? `(${count} item${count === 1 ? "" : "s"})` : "";
  $("#cart-empty").hidden = state.lines.length > 0;
  $("#checkout").hidden = state.lines.length === 0;
  const paused = orderingPaused();
  $("#checkout-closed").hidden = !paused;
  const place = $("#place-order");
  if (!state.placing) place.disabled = paused;
  if (paused) place.setAttribute("aria-describedby", "checkout-closed");
  else place.removeAttribute("aria-describedby");
  const jump = $("#cart-jump");
  jump.hidden = state.lines.length === 0 || state.cartInView;
  jump.textContent = `View order (${count})`;
  const quoted = state.quote && state.quote.items && state.quote.items.length === state.lines.length ? state.quote.items : null;
  $("#cart-lines").replaceChildren(
    ...state.lines.map((line, index) =>
      el(
        "li",
        { class: "line", dataset: { key: line.key } },
        el(
          "span",
          { class: "line-main" },
          el("span", { class: "line-name", text: line.name }),
          line.options.length ? el("span", { class: "line-options", text: optionText(line.options) }) : null,
          line.comment ? el("span", { class: "line-note", text: line.comment }) : null,
        ),
        el(
          "span",
          { class: "line-qty-controls" },
          el("button", {
            type: "button",
            class: "btn btn-round",
            "aria-label": `One less ${line.name}`,
            onclick: () => setLineQty(index, line.quantity - 1),
            text: "−",
          }),
          el("span", { class: "line-qty", "aria-label": `Quantity of ${line.name}`, text: String(line.quantity) }),
          el("button", {
            type: "button",
            class: "btn btn-round",
            "aria-label": `One more ${line.name}`,
            onclick: () => setLineQty(index, line.quantity + 1),
            text: "+",
          }),
        ),
        el("span", { class: "line-price", text: quoted ? money(quoted[index].subtotal) : "" }),
        el("button", {
          type: "button",
          class: "link line-remove",
          "aria-label": `Remove ${line.name}`,
          onclick: () => setLineQty(index, 0),
          text: "Remove",
        }),
      ),
    ),
  );
}

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

function setupTypes() {
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
function syncWhen() {
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

function requote() {
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

function wireCheckout() {
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
  $("#change-location").addEventListener("click", showLocationPicker);

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

  form.addEventListener("submit", placeOrder);
}

function isCustomer() {
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

// ------------------------------------------------------------------ customer account

async function loadMe() {
  const response = await api("/api/auth/me");
  state.me = response.ok ? response.data : null;
  renderAccount();
}

function renderAccount() {
  const me = state.me;
  const customer = isCustomer() ? me.customer : null;
  $("#account-name").textContent = customer ? customer.name : me && me.type === "staff" ? `${me.user.name} (staff)` : "";
  $("#login-open").hidden = Boolean(me);
  $("#logout-btn").hidden = !me;
  $("#contact-guest").hidden = Boolean(customer);
  const info = $("#contact-customer");
  info.hidden = !customer;
  info.textContent = customer ? `Ordering as ${customer.name} (${customer.email}).` : "";
}

function wireAuth() {
  const dialog = $("#auth-dialog");
  let mode = "login";
  const setMode = (next) => {
    mode = next;
    $("#auth-mode-login").setAttribute("aria-pressed", String(mode === "login"));
    $("#auth-mode-register").setAttribute("aria-pressed", String(mode === "register"));
    $("#auth-register-fields").hidden = mode !== "register";
    $("#auth-title").textContent = mode === "login" ? "Log in" : "Create an account";
    $("#auth-submit").textContent = mode === "login" ? "Log in" : "Register";
    $("#auth-password").autocomplete = mode === "login" ? "current-password" : "new-password";
    $("#auth-error").textContent = "";
  };
  const open = () => {
    setMode("login");
    dialog.showModal();
    $("#auth-email").focus();
  };
  $("#login-open").addEventListener("click", open);
  $("#login-inline").addEventListener("click", open);
  $("#auth-mode-login").addEventListener("click", () => setMode("login"));
  $("#auth-mode-register").addEventListener("click", () => setMode("register"));
  $("#auth-cancel").addEventListener("click", () => dialog.close());
  $("#logout-btn").addEventListener("click", async () => {
    await api("/api/auth/logout", { method: "POST" });
    state.me = null;
    renderAccount();
  });
  $("#auth-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = $("#auth-email").value.trim();
    const password = $("#auth-password").value;
    const body = { email, password };
    if (mode === "register") {
      body.name = $("#auth-name").value.trim();
      const phone = $("#auth-phone").value.trim();
      if (phone) body.phone = phone;
      if (!body.name) {
        $("#auth-error").textContent = "Enter your name.";
        return;
      }
    }
    const path = mode === "login" ? "/api/auth/customer/login" : "/api/auth/customer/register";
    const response = await api(path, { method: "POST", body });
    if (!response.ok) {
      $("#auth-error").textContent = response.error;
      return;
    }
    $("#auth-password").value = "";
    dialog.close();
    await loadMe();
    requote();
  });
}

boot();
