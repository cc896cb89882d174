// The storefront's cart: lines kept per location across reloads, quantities, the quoted line prices.

import { $, el, money, optionText, storage } from "./common.js";
import { requote } from "./storefront-checkout.js";
import { MAX_QTY, cartKey, orderingPaused, state } from "./storefront-state.js";

// ------------------------------------------------------------------ cart

export function saveCart() {
  if (state.location) storage.set(cartKey(state.location.id), state.lines);
}

export function cartChanged() {
  saveCart();
  renderCart();
  requote();
}

function setLineQty(index, quantity) {
  if (quantity <= 0) state.lines.splice(index, 1);
  else state.lines[index].quantity = Math.min(MAX_QTY, quantity);
  cartChanged();
}

export function renderCart() {
  const count = state.lines.reduce((sum, line) => sum + line.quantity, 0);
  $("#cart-count").textContent = count ? `(${count} item${count === 1 ? "" : "s"})` : "";
  $("#cart-empty").hidden = state.lines.length > 0;
  $("#checkout").hidden = state.lines.length === 0;
  const paused = orderingPaused();
  $("#checkout-closed").hidden = !paused;
  const place = $("#place-order");
  if (!state.placing) place.disabled = paused;
  if (paused) place.setAttribute("aria-describedby", "checkout-closed");
  else place.removeAttribute("aria-describedby");
  const jump = $("#cart-jump");
  jump.hidden = state.lines.length === 0 || state.cartInView;
  jump.textContent = `View order (${count})`;
  const quoted = state.quote && state.quote.items && state.quote.items.length === state.lines.length ? state.quote.items : null;
  $("#cart-lines").replaceChildren(
    ...state.lines.map((line, index) =>
      el(
        "li",
        { class: "line", dataset: { key: line.key } },
        el(
          "span",
          { class: "line-main" },
          el("span", { class: "line-name", text: line.name }),
          line.options.length ? el("span", { class: "line-options", text: optionText(line.options) }) : null,
          line.comment ? el("span", { class: "line-note", text: line.comment }) : null,
        ),
        el(
          "span",
          { class: "line-qty-controls" },
          el("button", {
            type: "button",
            class: "btn btn-round",
            "aria-label": `One less ${line.name}`,
            onclick: () => setLineQty(index, line.quantity - 1),
            text: "−",
          }),
          el("span", { class: "line-qty", "aria-label": `Quantity of ${line.name}`, text: String(line.quantity) }),
          el("button", {
            type: "button",
            class: "btn btn-round",
            "aria-label": `One more ${line.name}`,
            onclick: () => setLineQty(index, line.quantity + 1),
            text: "+",
          }),
        ),
        el("span", { class: "line-price", text: quoted ? money(quoted[index].subtotal) : "" }),
        el("button", {
          type: "button",
          class: "link line-remove",
          "aria-label": `Remove ${line.name}`,
          onclick: () => setLineQty(index, 0),
          text: "Remove",
        }),
      ),
    ),
  );
}
