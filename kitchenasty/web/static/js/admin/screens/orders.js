// Orders: /admin/orders (the live list), /admin/orders/{id} (one order), /admin/orders/{id}/receipt (printable).

import { el } from "../../common.js";

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  const [id, view, ...rest] = ctx.path;
  if (!id) return (await import("./orders/list.js")).mountList(main, ctx);
  if (!view && !rest.length) return (await import("./orders/page.js")).mountOrder(main, ctx, id);
  if (view === "receipt" && !rest.length) return (await import("./orders/receipt.js")).mountReceipt(main, ctx, id);
  ctx.setTitle("Page not found");
  main.replaceChildren(
    el("p", { text: "There is no page at this address." }),
    el("p", {}, el("a", { href: `/admin/orders/${encodeURIComponent(id)}`, text: "Open the order" })),
  );
  return undefined;
}
