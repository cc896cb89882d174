// Reservation trends (/admin/reservations/trends?days=&locationId=): GET /api/reservations/analytics, bookings dated
// `days` back and ahead: the summary, then each distribution as a table with a bar beside each count (the numbers are
// the table's; the bars only draw them).

import { api, el } from "../common.js";
import { STATUS_TEXT, locationChoices, sayDate, sentence } from "./reservations-shared.js";

const RANGES = [7, 30, 90, 365];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LEAD_TEXT = {
  "same-day": "Same day",
  "1-2d": "1 to 2 days ahead",
  "3-7d": "3 to 7 days ahead",
  "8-14d": "8 to 14 days ahead",
  "15d+": "15 days or more ahead",
};

function percent(rate) {
  return `${Math.round(Number(rate) * 1000) / 10} %`;
}

function bars(id, title, headers, rows) {
  const top = Math.max(1, ...rows.map((r) => r.value));
  const body = rows.map((r) => {
    const bar = el("span", { class: "admin-rv-bar", "aria-hidden": "true" });
    bar.style.width = `${Math.round((r.value / top) * 100)}%`;
    return el("tr", {}, el("th", { scope: "row", text: r.label }), el("td", { class: "admin-num", text: String(r.value) }), r.extra !== undefined ? el("td", { class: "admin-num", text: String(r.extra) }) : null, el("td", { class: "admin-rv-bar-cell" }, bar));
  });
  return el(
    "section",
    { class: "admin-card admin-rv-chart", "aria-labelledby": id },
    el("h3", { id, text: title }),
    rows.length
      ? el("table", { class: "admin-rv-bars" },
          el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })), el("th", { scope: "col" }, el("span", { class: "visually-hidden", text: "Bar" })))),
          el("tbody", {}, body))
      : el("p", { class: "muted", text: "No bookings in this range." }),
  );
}

function rangeText(a) {
  const daily = a.dailyBookings;
  if (!daily.length) return "Bookings of the chosen range.";
  return `Bookings dated ${sayDate(daily[0].date)} to ${sayDate(daily[daily.length - 1].date)}.`;
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mountTrends(main, ctx) {
  ctx.setTitle("Reservation trends");
  const params = new URLSearchParams(location.search);
  const locations = await locationChoices(api);
  let days = RANGES.includes(Number(params.get("days"))) ? Number(params.get("days")) : 30;
  let locationId = locations.some((l) => l.id === params.get("locationId")) ? params.get("locationId") : "";

  const range = el("select", { id: "rv-trend-days" }, RANGES.map((n) => el("option", { value: String(n), text: `${n} days back and ahead` })));
  range.value = String(days);
  const place = el("select", { id: "rv-trend-location" }, el("option", { value: "", text: "All locations" }), locations.map((l) => el("option", { value: l.id, text: l.name })));
  place.value = locationId;
  const body = el("div", { id: "rv-trends", "aria-live": "polite" });
  main.replaceChildren(
    el("p", { class: "admin-back" }, el("a", { href: "/admin/reservations", text: "Back to the day's bookings" })),
    el(
      "div",
      { class: "admin-rv-toolbar" },
      el("div", { class: "admin-rv-pick" }, el("label", { for: "rv-trend-days", text: "Range" }), range),
      locations.length > 1 ? el("div", { class: "admin-rv-pick" }, el("label", { for: "rv-trend-location", text: "Location" }), place) : null,
    ),
    body,
  );

  async function load() {
    const query = new URLSearchParams({ days: String(days) });
    if (locationId) query.set("locationId", locationId);
    history.replaceState(null, "", `${location.pathname}?${query}`);
    body.setAttribute("aria-busy", "true");
    const response = await api(`/api/reservations/analytics?${query}`);
    body.removeAttribute("aria-busy");
    if (!response.ok) {
      body.replaceChildren(el("p", { class: "banner banner-error", role: "alert", text: sentence(response.error) }));
      return;
    }
    const a = response.data;
    const s = a.summary;
    const card = (label, value) => el("li", { class: "admin-card admin-rv-stat" }, el("p", { class: "muted", text: label }), el("p", { class: "admin-rv-stat-value", text: value }));
    body.replaceChildren(
      el("p", { class: "muted", id: "rv-trend-range", text: rangeText(a) }),
      el(
        "ul",
        { class: "admin-cards admin-rv-stats", "aria-label": "Summary" },
        card("Bookings", String(s.totalReservations)),
        card("Guests", String(s.totalGuests)),
        card("Average party", String(s.avgPartySize)),
        card("Completed", percent(s.completionRate)),
      ),
      el(
        "div",
        { class: "admin-rv-charts" },
        bars("rv-chart-daily", "By day", ["Day", "Bookings", "Guests"], a.dailyBookings.filter((d) => d.reservations).map((d) => ({ label: sayDate(d.date), value: d.reservations, extra: d.guests }))),
        bars("rv-chart-weekday", "By weekday", ["Weekday", "Bookings", "Guests"], a.dayOfWeekDistribution.map((d) => ({ label: WEEKDAYS[d.dow], value: d.reservations, extra: d.guests }))),
        bars("rv-chart-hour", "By hour", ["Hour", "Bookings"], a.hourlyDistribution.map((h) => ({ label: `${String(h.hour).padStart(2, "0")}:00`, value: h.reservations }))),
        bars("rv-chart-party", "By party size", ["Guests", "Bookings"], a.partySizeDistribution.map((p) => ({ label: String(p.partySize), value: p.count }))),
        bars("rv-chart-status", "By status", ["Status", "Bookings"], a.statusDistribution.map((p) => ({ label: STATUS_TEXT[p.status] || p.status, value: p.count }))),
        bars("rv-chart-lead", "Booked how far ahead", ["Ahead", "Bookings"], a.leadTimeBuckets.map((b) => ({ label: LEAD_TEXT[b.bucket] || b.bucket, value: b.count }))),
      ),
    );
  }
  range.addEventListener("change", () => {
    days = Number(range.value);
    load();
  });
  place.addEventListener("change", () => {
    locationId = place.value;
    load();
  });
  await load();
}
