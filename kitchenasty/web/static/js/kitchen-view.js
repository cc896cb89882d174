// How this kitchen screen looks at the board: the station it serves (`/kitchen?station=bar` shows only that
// station's items of each order, the rest collapsed to a line; no station = expo, whole orders), picked in the
// header; and the compact mode (remembered on this device) that fits more tickets in a column.

import { $, api, el, storage } from "./common.js";

const COMPACT_KEY = "kitchenasty.kitchen.compact";

export const view = {
  slug: new URLSearchParams(location.search).get("station") || "",
  station: null, // the station object from /api/stations once known
  stations: [],
};

/** The station picker and the compact switch; `onChange` redraws the board. */
export function setupView(onChange) {
  const select = $("#station-select");
  select.addEventListener("change", () => {
    view.slug = select.value;
    view.station = view.stations.find((s) => s.slug === view.slug) || null;
    const url = new URL(location.href);
    if (view.slug) url.searchParams.set("station", view.slug);
    else url.searchParams.delete("station");
    history.replaceState(null, "", url);
    showStation();
    onChange();
  });
  const compact = $("#compact-btn");
  const apply = () => {
    const on = storage.get(COMPACT_KEY) === "on";
    document.body.classList.toggle("kds-compact", on);
    compact.setAttribute("aria-pressed", on ? "true" : "false");
  };
  compact.addEventListener("click", () => {
    storage.set(COMPACT_KEY, storage.get(COMPACT_KEY) === "on" ? "off" : "on");
    apply();
  });
  apply();
}

/** Read the stations (after login: staff only) and fill the picker; an unknown `?station=` falls back to expo. */
export async function loadStations(onChange, say) {
  const response = await api("/api/stations");
  const select = $("#station-select");
  view.stations = response.ok && Array.isArray(response.data) ? response.data.filter((s) => s.active) : [];
  select.replaceChildren(
    el("option", { value: "", text: "All (expo)" }),
    ...view.stations.map((s) => el("option", { value: s.slug, text: s.name })),
  );
  view.station = view.stations.find((s) => s.slug === view.slug) || null;
  if (view.slug && !view.station) {
    say(`There is no station “${view.slug}”: this screen shows every order.`);
    view.slug = "";
  }
  select.value = view.slug;
  $("#station-field").hidden = view.stations.length === 0 && !view.slug;
  showStation();
  onChange();
}

function showStation() {
  $("#kds-station").textContent = view.station ? view.station.name : "";
  document.body.dataset.station = view.station ? view.station.slug : "";
}

/**
 * The items of `order` this screen prepares and how many it leaves to other stations; expo: every item, none
 * elsewhere. An order with none of this station's items is not shown (`visible`).
 */
export function itemsHere(order) {
  if (!view.station) return { mine: order.items, others: 0 };
  const mine = order.items.filter((item) => item.stationId === view.station.id);
  return { mine, others: order.items.length - mine.length };
}

export function visible(order) {
  return !view.station || order.items.some((item) => item.stationId === view.station.id);
}

const ALLERGY = /\b(allerg\w*|anaphyla\w*|nuts?|peanuts?|walnuts?|almonds?|hazelnuts?|gluten\w*|coeliac|celiac|lactose|dairy|milk|shellfish|crustaceans?|fish|sesame|soy[a]?|eggs?|mustard|celery|lupin|sulphites?|sulfites?|epipen)\b/i;

/** Whether a comment names an allergy or intolerance (highlighted on the ticket): a word list, on purpose simple. */
export function mentionsAllergy(text) {
  return Boolean(text) && ALLERGY.test(text);
}
