// Reservations: /admin/reservations (the day's bookings per table, live) and /admin/reservations/trends.

import { el } from "../../common.js";

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  const [view, ...rest] = ctx.path;
  if (!view) return (await import("../reservations-day.js")).mountDay(main, ctx);
  if (view === "trends" && !rest.length) return (await import("../reservations-trends.js")).mountTrends(main, ctx);
  ctx.setTitle("Page not found");
  main.replaceChildren(
    el("p", { text: "There is no page at this address." }),
    el("p", {}, el("a", { href: "/admin/reservations", text: "Open the day's bookings" })),
  );
  return undefined;
}
