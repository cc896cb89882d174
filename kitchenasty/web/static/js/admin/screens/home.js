// The start page: a link to every screen this staff member may open (the navigation's list, with a sentence
// each), the kitchen display, and how many orders are open right now.

import { api, el } from "../../common.js";

const OPEN = "PENDING,CONFIRMED,PREPARING,READY,OUT_FOR_DELIVERY";

/** @param {HTMLElement} main @param {{config: object, user: object, setTitle: (text: string) => void}} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Start");
  const first = ctx.user.name.split(/\s+/)[0];
  const open = el("p", { class: "admin-home-open", role: "status" });
  const cards = [];
  for (const group of ctx.config.nav) {
    for (const screen of group.screens) {
      cards.push(
        el(
          "li",
          { class: "admin-card" },
          el("h3", {}, el("a", { href: screen.href, text: screen.title })),
          screen.description ? el("p", { class: "muted", text: screen.description }) : null,
        ),
      );
    }
  }
  cards.push(
    el(
      "li",
      { class: "admin-card" },
      el("h3", {}, el("a", { href: "/kitchen", text: "Kitchen display" })),
      el("p", { class: "muted", text: "The board the kitchen cooks from: new orders, timers, one tap to advance." }),
    ),
  );
  main.replaceChildren(
    el("p", { class: "admin-lead", text: `Hello, ${first}. You are logged in as ${ctx.user.roleText.toLowerCase()}.` }),
    open,
    el("h2", { class: "admin-section-title", text: "Where to?" }),
    el("ul", { class: "admin-cards" }, cards),
  );
  const response = await api(`/api/orders?status=${OPEN}&limit=1`);
  if (response.ok && response.body && response.body.pagination) {
    const total = response.body.pagination.total;
    open.replaceChildren(
      total === 0 ? "No orders are open right now. " : `${total} order${total === 1 ? " is" : "s are"} open right now. `,
      el("a", { href: `/admin/orders?status=${OPEN}`, text: "See the open orders" }),
    );
  }
}
