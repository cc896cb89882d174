// Locations: the list; `/admin/locations/new`; and a location's page: pause ordering and busy mode in one tap,
// address and contact, orders (per-type minimums and lead times, busy settings), weekly hours, closed dates and
// tables.

import { api, el, formatTime } from "../../common.js";
import { amountToCents, centsToAmount, createForm } from "../form.js";
import { createClosures, createTables } from "../location-extras.js";
import { createHoursEditor } from "../location-hours.js";
import { createList } from "../list.js";
import { followName } from "../menu-shared.js";
import { toast } from "../toast.js";

function stateBadges(location) {
  const badges = [];
  if (!location.isActive) badges.push(el("span", { class: "admin-status admin-avail-hidden", text: "Not shown" }));
  if (location.isPaused) badges.push(el("span", { class: "admin-status admin-status-cancelled", text: "Orders paused" }));
  else badges.push(el("span", { class: `admin-status ${location.isOpenNow ? "admin-status-delivered" : "admin-status-pending"}`, text: location.isOpenNow ? "Open now" : "Closed now" }));
  if (location.isBusy) badges.push(el("span", { class: "admin-status admin-status-pending", text: "Busy" }));
  return el("span", { class: "admin-badges" }, badges);
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  if (ctx.path[0] === "new") return mountNew(main, ctx);
  if (ctx.path[0]) return mountLocation(main, ctx, ctx.path[0]);
  ctx.setTitle("Locations");
  main.append(el("div", { class: "admin-actions-bar" }, el("a", { class: "btn btn-primary", href: "/admin/locations/new", text: "New location" })));
  createList(main, {
    label: "Locations",
    noun: ["location", "locations"],
    endpoint: "/api/locations",
    navigate: ctx.navigate,
    columns: [
      { label: "Location", key: "name", sortable: true },
      { label: "Address", value: (l) => [l.address, l.city].filter(Boolean).join(", ") },
      { label: "Now", value: stateBadges },
      { label: "Tables", value: (l) => String((l._count && l._count.tables) || 0), align: "end" },
    ],
    rowHref: (l) => `/admin/locations/${encodeURIComponent(l.id)}`,
    empty: "No locations yet: add the restaurant's first one.",
  });
  return undefined;
}

const CONTACT_FIELDS = [
  { name: "name", label: "Name", required: true, maxLength: 120 },
  { name: "description", label: "Description", type: "textarea", nullable: true, maxLength: 2000 },
  { name: "address", label: "Street and number", required: true, maxLength: 255, autocomplete: "address-line1" },
  { name: "city", label: "City", required: true, maxLength: 120, autocomplete: "address-level2" },
  { name: "state", label: "State or region", nullable: true, maxLength: 120, autocomplete: "address-level1" },
  { name: "postalCode", label: "Postal code", required: true, maxLength: 20, autocomplete: "postal-code" },
  { name: "country", label: "Country code", required: true, maxLength: 2, help: "Two letters, e.g. US, DE, FR." },
  { name: "phone", label: "Phone", type: "text", nullable: true, maxLength: 40, autocomplete: "tel", inputmode: "tel" },
  { name: "email", label: "E-mail", type: "email", nullable: true, maxLength: 254, autocomplete: "email" },
  { name: "image", label: "Image address (URL)", nullable: true, help: "https://… or /static/…; leave empty for none." },
  { name: "isActive", label: "Shown to guests", type: "checkbox", help: "Untick to take the location off the storefront." },
];

const ORDER_FIELDS = [
  { name: "pickupEnabled", label: "Takes pickup orders", type: "checkbox" },
  { name: "deliveryEnabled", label: "Takes delivery orders", type: "checkbox" },
  { name: "dineInEnabled", label: "Takes dine-in orders", type: "checkbox" },
  { name: "minOrderPickup", label: "Minimum order for pickup", type: "money", help: "0 for none." },
  { name: "minOrderDelivery", label: "Minimum order for delivery", type: "money", help: "0 for none." },
  { name: "pickupLeadTime", label: "Pickup ready in (minutes)", type: "number", min: 0, max: 1440, step: 1 },
  { name: "deliveryLeadTime", label: "Delivery arrives in (minutes)", type: "number", min: 0, max: 1440, step: 1 },
  { name: "busyExtraMinutes", label: "Extra minutes while busy", type: "number", min: 0, max: 240, step: 1, help: "Added to both times while busy mode is on." },
  { name: "busyMessage", label: "Message while busy", nullable: true, maxLength: 500, placeholder: "We are very busy: orders may take longer than usual." },
];

function contactValues(l) {
  return { ...l, description: l.description || "", state: l.state || "", phone: l.phone || "", email: l.email || "", image: l.image || "" };
}

function orderValues(l) {
  return { ...l, minOrderPickup: amountToCents(l.minOrderPickup), minOrderDelivery: amountToCents(l.minOrderDelivery), busyMessage: l.busyMessage || "" };
}

function orderBody(values) {
  return {
    ...values,
    minOrderPickup: centsToAmount(values.minOrderPickup ?? 0),
    minOrderDelivery: centsToAmount(values.minOrderDelivery ?? 0),
    pickupLeadTime: values.pickupLeadTime ?? 0,
    deliveryLeadTime: values.deliveryLeadTime ?? 0,
    busyExtraMinutes: values.busyExtraMinutes ?? 0,
  };
}

async function mountNew(main, ctx) {
  ctx.setTitle("New location");
  main.append(el("p", { class: "admin-back" }, el("a", { href: "/admin/locations", text: "← All locations" })));
  const fields = [...CONTACT_FIELDS];
  fields.splice(1, 0, { name: "slug", label: "Address name", required: true, maxLength: 120, help: "Filled in from the name; it cannot change later." });
  const form = createForm(main, {
    label: "New location",
    fields,
    values: { country: "US", isActive: true },
    submitLabel: "Create location",
    submit: (values) => api("/api/locations", { method: "POST", body: values }),
    onSaved: (saved) => {
      form.markSaved();
      toast(`${saved.name} created. Set its hours and tables next.`, { kind: "success" });
      ctx.navigate(`/admin/locations/${encodeURIComponent(saved.id)}`, { replace: true });
    },
  });
  followName(form.control("name"), form.control("slug"));
  form.control("name").focus();
}

async function mountLocation(main, ctx, id) {
  ctx.setTitle("Location");
  const back = el("p", { class: "admin-back" }, el("a", { href: "/admin/locations", text: "← All locations" }));
  const response = await api(`/api/locations/${encodeURIComponent(id)}`);
  if (!response.ok) {
    main.replaceChildren(back, el("p", { class: "banner banner-error", role: "alert", text: response.error }));
    return;
  }
  let location = response.data;
  ctx.setTitle(location.name);

  // ------------------------------------------------------------ right now: pause and busy mode, one tap each
  const now = el("section", { class: "admin-panel-box admin-now", "aria-labelledby": "now-title" });
  const nowText = el("p", { class: "admin-now-text", id: "location-now", role: "status" });
  const pause = el("button", { type: "button", class: "btn" });
  const pauseFor = el("select", { id: "pause-minutes" }, [
    ["", "until I take them again"],
    ["15", "for 15 minutes"],
    ["30", "for 30 minutes"],
    ["60", "for 1 hour"],
    ["120", "for 2 hours"],
  ].map(([value, text]) => el("option", { value, text })));
  const pauseForField = el("div", { class: "admin-field admin-pause-for" }, el("label", { for: "pause-minutes", text: "Pause" }), pauseFor);
  const busy = el("button", { type: "button", class: "btn" });
  now.append(el("h2", { class: "admin-section-title", id: "now-title", text: "Right now" }), nowText, el("div", { class: "admin-actions-bar" }, pauseForField, pause, busy));

  function paintNow() {
    const parts = [];
    if (location.isPaused) parts.push(location.pausedUntil ? `Online orders are paused until ${formatTime(location.pausedUntil)}.` : "Online orders are paused until you take them again.");
    else parts.push(location.isOpenNow ? "Open now and taking orders." : "Closed now by its hours or a closed date.");
    if (location.isBusy) parts.push(`Busy mode is on: guests are told orders take ${location.busyExtraMinutes} minutes longer.`);
    nowText.textContent = parts.join(" ");
    pause.textContent = location.isPaused ? "Take orders again" : "Pause online orders";
    pause.classList.toggle("btn-danger", !location.isPaused);
    pause.classList.toggle("btn-primary", location.isPaused);
    pauseForField.hidden = location.isPaused;
    busy.textContent = location.isBusy ? "Turn busy mode off" : "Turn busy mode on";
    busy.setAttribute("aria-pressed", location.isBusy ? "true" : "false");
  }

  async function act(button, path, options, said) {
    button.disabled = true;
    const result = await api(path, options);
    button.disabled = false;
    if (!result.ok) return toast(result.error, { kind: "error" });
    location = result.data;
    paintNow();
    toast(said(location), { kind: "success" });
    button.focus();
    return undefined;
  }

  pause.addEventListener("click", () => {
    const base = `/api/locations/${encodeURIComponent(location.id)}`;
    if (location.isPaused) return act(pause, `${base}/resume`, { method: "POST" }, () => "Taking online orders again.");
    const minutes = pauseFor.value ? Number(pauseFor.value) : null;
    return act(pause, `${base}/pause`, { method: "POST", body: minutes ? { minutes } : {} }, () => "Online orders are paused.");
  });
  busy.addEventListener("click", () =>
    act(busy, `/api/locations/${encodeURIComponent(location.id)}`, { method: "PATCH", body: { isBusy: !location.isBusy } }, (l) =>
      l.isBusy ? "Busy mode is on." : "Busy mode is off.",
    ),
  );

  async function reread() {
    const fresh = await api(`/api/locations/${encodeURIComponent(location.id)}`);
    if (fresh.ok) {
      location = fresh.data;
      paintNow();
    }
  }

  // ------------------------------------------------------------ the forms
  const contactBox = el("section", { class: "admin-panel-box", "aria-labelledby": "contact-title" }, el("h2", { class: "admin-section-title", id: "contact-title", text: "Address and contact" }));
  const ordersBox = el("section", { class: "admin-panel-box", "aria-labelledby": "orders-title" }, el("h2", { class: "admin-section-title", id: "orders-title", text: "Orders: kinds, minimums and times" }));
  const hoursBox = el("div");
  const extrasBox = el("div");
  main.replaceChildren(back, now, el("div", { class: "admin-location-grid" }, contactBox, ordersBox), hoursBox, extrasBox);
  paintNow();

  createForm(contactBox, {
    label: "Address and contact",
    fields: CONTACT_FIELDS,
    values: contactValues(location),
    submitLabel: "Save address and contact",
    submit: (values) => api(`/api/locations/${encodeURIComponent(location.id)}`, { method: "PATCH", body: values }),
    onSaved: (saved) => {
      location = saved;
      ctx.setTitle(saved.name);
      paintNow();
      toast("Address and contact saved.", { kind: "success" });
      return contactValues(saved);
    },
  });
  createForm(ordersBox, {
    label: "Orders: kinds, minimums and times",
    fields: ORDER_FIELDS,
    values: orderValues(location),
    submitLabel: "Save order settings",
    submit: (values) => api(`/api/locations/${encodeURIComponent(location.id)}`, { method: "PATCH", body: orderBody(values) }),
    onSaved: (saved) => {
      location = saved;
      paintNow();
      toast("Order settings saved.", { kind: "success" });
      return orderValues(saved);
    },
  });
  createHoursEditor(hoursBox, {
    location,
    onSaved: (saved) => {
      location = saved;
      paintNow();
      toast("Opening hours saved.", { kind: "success" });
    },
  });
  createClosures(extrasBox, location, reread);
  createTables(extrasBox, location);
}
