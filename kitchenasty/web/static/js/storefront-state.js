// The storefront's shared state and settings: one mutable object the storefront's modules read and change.

import { config } from "./common.js";

export const ordersSettings = (config.site && config.site.orders) || {};
export const LOCATION_KEY = "kitchenasty.location";
export const PENDING_KEY = "kitchenasty.pendingOrder";
export const CHECKOUT_KEY = "kitchenasty.checkout";
export const cartKey = (locationId) => `kitchenasty.cart.${locationId}`;
export const TYPE_TEXT = { PICKUP: "Pickup", DELIVERY: "Delivery", DINE_IN: "At a table" };
export const MAX_QTY = 100;
export const QUOTE_GUEST = { guestName: "Guest", guestEmail: "guest@example.invalid", guestPhone: "0000000000" };

export const state = {
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
export function orderingPaused() {
  return Boolean(state.location && !state.location.isOpenNow && !ordersSettings.enableFutureOrdering);
}
