// Booking a table: restaurant (when there are several), date, party size, the free times from
// GET /api/reservations/availability as buttons, the guest's details, then the confirmation with the manage link.
// Every rule (opening hours, stay, lead time, cover cap, party limits) is the API's; the page shows what it says.

import { $, api, config, el, randomKey } from "./common.js";
import { bookingFacts, sayDate } from "./booking.js";

const booking = config.booking || {};
const general = (config.site && config.site.general) || {};
const STATUS_HEADLINE = {
  PENDING: "Your booking request is in: the restaurant will confirm it shortly.",
  CONFIRMED: "Your table is booked.",
};

const form = $("#book-form");
const slotsBox = $("#book-slots");
const slotsNote = $("#book-slots-note");
const formError = $("#book-form-error");
let locations = [];
let chosen = null;
let request = 0;
let submission = null; // {key, body}: a retry after a lost answer sends the same key (never a second booking)

function callUs() {
  return general.contactPhone ? ` Please call us on ${general.contactPhone}.` : " Please call the restaurant.";
}

function pageError(text) {
  const banner = $("#book-error");
  banner.textContent = text;
  banner.hidden = false;
}

function addDays(isoDate, days) {
  const [y, m, d] = isoDate.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d + days));
  return day.toISOString().slice(0, 10);
}

function guests(n) {
  return `${n} ${n === 1 ? "guest" : "guests"}`;
}

function locationId() {
  return locations.length === 1 ? locations[0].id : $("#book-location").value;
}

function choose(time, button) {
  chosen = time;
  for (const other of slotsBox.querySelectorAll("button")) other.setAttribute("aria-pressed", other === button ? "true" : "false");
  slotsNote.textContent = `${time} is chosen. Add your details below and book.`;
  formError.textContent = "";
}

async function loadSlots() {
  chosen = null;
  const date = $("#book-date").value;
  const party = Number($("#book-party").value);
  slotsBox.replaceChildren();
  if (!date) {
    slotsNote.textContent = "Choose a date to see the free times.";
    return;
  }
  const mine = ++request;
  slotsNote.textContent = "Looking for free tables…";
  const query = new URLSearchParams({ locationId: locationId(), date, partySize: String(party) });
  const response = await api(`/api/reservations/availability?${query}`);
  if (mine !== request) return; // an answer to an earlier choice
  if (!response.ok) {
    slotsNote.textContent = response.error.endsWith(".") ? response.error : `${response.error}.`;
    return;
  }
  const free = response.data.slots.filter((slot) => slot.available);
  if (!free.length) {
    const note = response.data.note || `No table is free for ${guests(party)} on ${sayDate(date)}.`;
    slotsNote.textContent = `${note} Try another date or time.`;
    return;
  }
  slotsNote.textContent = `${free.length} ${free.length === 1 ? "time is" : "times are"} free for ${guests(party)} on ${sayDate(date)}. Choose one.`;
  slotsBox.replaceChildren(
    ...free.map((slot) => {
      const button = el("button", { type: "button", class: "btn book-slot", "aria-pressed": "false", text: slot.time, dataset: { time: slot.time } });
      button.addEventListener("click", () => choose(slot.time, button));
      return button;
    }),
  );
}

function fieldValue(id) {
  return $(id).value.trim();
}

function missing() {
  if (!chosen) return ["Choose a time for your table.", slotsBox.querySelector("button") || $("#book-date")];
  if (!fieldValue("#book-name")) return ["Enter your name.", $("#book-name")];
  const email = fieldValue("#book-email");
  if (!email) return ["Enter your e-mail address, so we can send you the confirmation.", $("#book-email")];
  if (!$("#book-email").checkValidity()) return ["Enter a valid e-mail address.", $("#book-email")];
  if (!fieldValue("#book-phone")) return ["Enter your phone number, in case the restaurant needs to reach you.", $("#book-phone")];
  return null;
}

function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

async function submit(event) {
  event.preventDefault();
  formError.textContent = "";
  const problem = missing();
  if (problem) {
    formError.textContent = problem[0];
    problem[1].focus();
    return;
  }
  const body = {
    locationId: locationId(),
    date: $("#book-date").value,
    time: chosen,
    partySize: Number($("#book-party").value),
    guestName: fieldValue("#book-name"),
    guestEmail: fieldValue("#book-email"),
    guestPhone: fieldValue("#book-phone"),
    comment: fieldValue("#book-note") || null,
  };
  if (!submission || JSON.stringify(submission.body) !== JSON.stringify(body)) submission = { key: randomKey(), body };
  const button = $("#book-submit");
  button.disabled = true;
  button.textContent = "Booking…";
  const response = await api("/api/reservations", { method: "POST", body, headers: { "Idempotency-Key": submission.key } });
  button.disabled = false;
  button.textContent = "Book the table";
  if (!response.ok) {
    formError.textContent = sentence(response.error);
    if (response.status === 409 || response.code === "SLOT_UNAVAILABLE") {
      formError.textContent += " The free times are shown again below.";
      await loadSlots();
    }
    return;
  }
  submission = null;
  showDone(response.data);
}

function showDone(reservation) {
  form.hidden = true;
  const done = $("#book-done");
  $("#book-done-title").textContent = STATUS_HEADLINE[reservation.status] || "Your booking is saved.";
  $("#book-done-text").textContent = reservation.guestEmail
    ? `We have sent the details to ${reservation.guestEmail}.`
    : "Keep the link below to see your booking.";
  $("#book-done-facts").replaceChildren(...bookingFacts(reservation));
  $("#book-manage-link").href = reservation.manageUrl;
  done.hidden = false;
  done.focus();
}

function fillParty() {
  const select = $("#book-party");
  const low = Math.max(1, Number(booking.minPartySize || 1));
  const high = Math.max(low, Number(booking.maxPartySize || 20));
  for (let n = low; n <= high; n += 1) select.append(el("option", { value: String(n), text: guests(n) }));
  select.value = String(Math.min(Math.max(2, low), high));
}

async function start() {
  if (!booking.enabled) {
    pageError(`Online table booking is turned off at the moment.${callUs()}`);
    return;
  }
  if (general.maintenanceMode) {
    pageError(`${sentence(general.maintenanceMessage || "We are doing some maintenance right now.")} Tables cannot be booked online at the moment.`);
    return;
  }
  const response = await api("/api/locations?limit=100");
  if (!response.ok) {
    pageError(sentence(response.error));
    return;
  }
  locations = response.data.filter((location) => location.isActive);
  if (!locations.length) {
    pageError(`No restaurant is taking bookings online at the moment.${callUs()}`);
    return;
  }
  if (locations.length > 1) {
    const select = $("#book-location");
    select.replaceChildren(...locations.map((location) => el("option", { value: location.id, text: location.name })));
    const wanted = new URLSearchParams(location.search).get("locationId");
    if (wanted && locations.some((l) => l.id === wanted)) select.value = wanted;
    $("#book-location-field").hidden = false;
    select.addEventListener("change", loadSlots);
  }
  fillParty();
  const date = $("#book-date");
  const today = booking.today || new Date().toISOString().slice(0, 10);
  date.min = today;
  date.max = addDays(today, Number(booking.maxAdvanceDays || 30));
  date.value = today;
  date.addEventListener("change", loadSlots);
  $("#book-party").addEventListener("change", loadSlots);
  form.addEventListener("submit", submit);
  $("#book-again").addEventListener("click", () => {
    $("#book-done").hidden = true;
    form.hidden = false;
    loadSlots();
    $("#book-date").focus();
  });
  form.hidden = false;
  await loadSlots();
}

start();
