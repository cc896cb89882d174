// A booking's manage page (/reservations/manage/{id}?t=<manageToken>, the link in the confirmation): the booking,
// and cancelling it until the cut-off the API states (`cancellableUntil`); after that, a sentence with the
// restaurant's phone. The API decides every refusal; the page shows its sentence.

import { $, api, config, formatDateTime } from "./common.js";
import { bookingFacts } from "./booking.js";

const general = (config.site && config.site.general) || {};
const token = new URLSearchParams(location.search).get("t") || "";
const id = config.reservationId;

const HEADLINES = {
  PENDING: "Your booking request is in: the restaurant will confirm it shortly.",
  CONFIRMED: "Your table is booked.",
  SEATED: "You are at your table. Enjoy your meal!",
  COMPLETED: "Thank you for dining with us.",
  CANCELLED: "This booking is cancelled.",
  NO_SHOW: "This booking was not used.",
};
const CANCELLABLE = new Set(["PENDING", "CONFIRMED"]);
let phone = general.contactPhone || "";

function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function callUs() {
  return phone ? `please call the restaurant on ${phone}` : "please call the restaurant";
}

function showError(text) {
  $("#manage-loading").hidden = true;
  const banner = $("#manage-error");
  banner.textContent = text;
  banner.hidden = false;
}

function render(reservation) {
  $("#manage-loading").hidden = true;
  $("#manage-error").hidden = true;
  $("#manage-booking").hidden = false;
  document.body.dataset.status = reservation.status;
  $("#manage-headline").textContent = HEADLINES[reservation.status] || sentence(reservation.status);
  $("#manage-facts").replaceChildren(...bookingFacts(reservation, { withNote: true }));

  const button = $("#manage-cancel");
  const note = $("#manage-cancel-note");
  $("#manage-confirm").hidden = true;
  if (!CANCELLABLE.has(reservation.status)) {
    button.hidden = true;
    note.textContent = reservation.status === "CANCELLED" ? "Nothing more to do: the table is free for others." : "";
    return;
  }
  const until = new Date(reservation.cancellableUntil);
  if (Date.now() > until.getTime()) {
    button.hidden = true;
    note.textContent = `It is too late to cancel online; ${callUs()} to cancel or change it.`;
    return;
  }
  button.hidden = false;
  note.textContent = `You can cancel online until ${formatDateTime(reservation.cancellableUntil)}. After that, ${callUs()}.`;
}

async function cancel() {
  const button = $("#manage-cancel-yes");
  const error = $("#manage-cancel-error");
  error.textContent = "";
  $("#manage-confirm").hidden = true;
  button.disabled = true;
  const response = await api(`/api/reservations/${encodeURIComponent(id)}/cancel?t=${encodeURIComponent(token)}`, { method: "POST" });
  button.disabled = false;
  if (!response.ok) {
    $("#manage-cancel").hidden = response.code === "CANCELLATION_TOO_LATE";
    error.textContent =
      response.code === "CANCELLATION_TOO_LATE"
        ? `It is too late to cancel online; ${callUs()} to cancel or change it.`
        : sentence(response.error);
    return;
  }
  render(response.data);
  $("#manage-headline").focus();
}

async function start() {
  if (!token) {
    showError("This link is not complete. Open the link from your confirmation e-mail again.");
    return;
  }
  const response = await api(`/api/reservations/${encodeURIComponent(id)}?t=${encodeURIComponent(token)}`);
  if (!response.ok) {
    showError(
      response.status === 404
        ? "We cannot find this booking. Check that the link is the one from your confirmation e-mail."
        : sentence(response.error),
    );
    return;
  }
  if (!phone) {
    const place = await api(`/api/locations/${encodeURIComponent(response.data.locationId)}`);
    if (place.ok && place.data.phone) phone = place.data.phone;
  }
  $("#manage-headline").setAttribute("tabindex", "-1");
  $("#manage-cancel").addEventListener("click", () => {
    $("#manage-cancel").hidden = true;
    $("#manage-confirm").hidden = false;
    $("#manage-cancel-yes").focus();
  });
  $("#manage-cancel-no").addEventListener("click", () => {
    $("#manage-confirm").hidden = true;
    $("#manage-cancel").hidden = false;
    $("#manage-cancel").focus();
  });
  $("#manage-cancel-yes").addEventListener("click", cancel);
  render(response.data);
}

start();
