// One item on a kitchen ticket: a button that moves it to its next preparation state (QUEUED -> PREPARING ->
// DONE) while the kitchen works on the order, plain text otherwise; its options and comment below, a comment that
// names an allergy highlighted.

import { el, optionText } from "./common.js";
import { mentionsAllergy } from "./kitchen-view.js";

export const NEXT_PREP = { QUEUED: "PREPARING", PREPARING: "DONE" };
const PREP_TEXT = { QUEUED: "To do", PREPARING: "Cooking", DONE: "Done" };

/** One item: a button that moves it to its next state while the kitchen works on the order, text otherwise. */
export function itemLine(order, item, working) {
  const prep = item.prepState || "QUEUED";
  const text = [
    el("span", { class: "qty", text: `${item.quantity}×` }),
    " ",
    el("span", { class: "item-name", text: item.name }),
    " ",
    el("span", { class: `prep-tag prep-${prep.toLowerCase()}`, text: PREP_TEXT[prep] || prep }),
  ];
  const next = NEXT_PREP[prep];
  const head =
    working && next
      ? el(
          "button",
          {
            type: "button",
            class: "item-tap",
            dataset: { action: "prep", id: order.id, item: item.id, focusKey: `${item.id}:prep` },
            "aria-busy": item.busy ? "true" : null,
            title: next === "PREPARING" ? "Tap when you start it" : "Tap when it is done",
          },
          ...text,
        )
      : el("div", { class: "item-head" }, ...text);
  return el(
    "li",
    { class: `item prep-${prep.toLowerCase()}`, dataset: { item: item.id, prep } },
    head,
    item.options && item.options.length ? el("div", { class: "item-options", text: optionText(item.options) }) : null,
    item.comment ? note("div", "item-note", item.comment) : null,
  );
}

/** A comment, highlighted with an "Allergy" mark when it names one. */
export function note(tag, className, text) {
  const allergy = mentionsAllergy(text);
  return el(
    tag,
    { class: `${className}${allergy ? " is-allergy" : ""}` },
    allergy ? el("strong", { class: "allergy-mark", text: "Allergy: " }) : null,
    text,
  );
}
