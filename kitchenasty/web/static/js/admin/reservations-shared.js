// What the reservations screens share: status words, the restaurant's "today", dates said in words.

import { config, el } from "../common.js";

export const STATUS_TEXT = {
  PENDING: "Pending",
  CONFIRMED: "Confirmed",
  SEATED: "Seated",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
  NO_SHOW: "No-show",
};

/** The button that moves a booking to a status (the API's `nextStatuses` decide which are shown). */
export const ACTION_TEXT = {
  CONFIRMED: "Confirm",
  SEATED: "Seat",
  COMPLETED: "Complete",
  NO_SHOW: "No-show",
  CANCELLED: "Cancel booking",
};

/** What the toast says after a move. */
export const DONE_TEXT = {
  CONFIRMED: "confirmed",
  SEATED: "seated",
  COMPLETED: "completed",
  NO_SHOW: "marked as a no-show",
  CANCELLED: "cancelled",
};

const general = (config.site && config.site.general) || {};

export function statusBadge(status) {
  return el("span", { class: `admin-status admin-rv-status-${String(status).toLowerCase()}`, text: STATUS_TEXT[status] || status });
}

/** Today's date (YYYY-MM-DD) on the restaurant's clock. */
export function today() {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: general.timezone || undefined, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function sayDate(isoDate) {
  const [y, m, d] = String(isoDate).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString([], { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
}

export function guests(n) {
  return `${n} ${n === 1 ? "guest" : "guests"}`;
}

export function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** "19:00" -> 1140 */
export function minutesOf(hhmm) {
  const [h, m] = String(hhmm).split(":").map(Number);
  return h * 60 + m;
}

/** 1140 -> "19:00"; 1500 -> "01:00" (the next day). */
export function clock(minutes) {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export async function locationChoices(api) {
  const response = await api("/api/locations?limit=100");
  return response.ok ? response.data.filter((l) => l.isActive) : [];
}
