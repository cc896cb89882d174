// What the booking page and a booking's manage page both show of a reservation.

import { el } from "./common.js";

/** "Friday 12 December" for an ISO date, in the visitor's language (the date itself, whatever their time zone). */
export function sayDate(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString([], {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

/** The booking's facts as <dt>/<dd> pairs, with the guest's note when `withNote`. */
export function bookingFacts(reservation, { withNote = false } = {}) {
  const facts = [
    ["Restaurant", reservation.location.name],
    ["Date", sayDate(reservation.date)],
    ["Time", reservation.time],
    ["Guests", String(reservation.partySize)],
    ["Name", reservation.customerName],
  ];
  if (withNote && reservation.comment) facts.push(["Note", reservation.comment]);
  return facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]);
}
