// The storefront: choose a restaurant, browse the menu, pick options, keep a cart across reloads, check out as a
// guest or a customer. Every total shown comes from POST /api/orders/quote; nothing is summed here.

import { $, LiveSocket, api, config, el, money, storage } from "./common.js";
import { renderCart, saveCart } from "./storefront-cart.js";
import { isCustomer, requote, setupTypes, syncWhen, wireCheckout } from "./storefront-checkout.js";
import { openItem, wireItemDialog } from "./storefront-item.js";
import { LOCATION_KEY, cartKey, orderingPaused, ordersSettings, state } from "./storefront-state.js";

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
  $("#change-location").addEventListener("click", showLocationPicker);
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
