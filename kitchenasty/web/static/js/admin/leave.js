// Unsaved changes, across the whole back office: each form (or anything else holding edits) says whether it is
// dirty; leaving the page then asks first. A reload, closing the tab or typing an address gets the browser's own
// question (beforeunload); a link inside the back office, `ctx.navigate()` and "Log out" get our dialog.

import { confirm } from "./dialog.js";

const dirty = new Set();

function onBeforeUnload(event) {
  if (dirty.size === 0) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need a value to show their prompt
}

window.addEventListener("beforeunload", onBeforeUnload);

/**
 * Record whether `source` holds unsaved changes.
 * @param {object|string} source - any stable key (a form element, a name)
 * @param {boolean} isDirty
 */
export function setDirty(source, isDirty) {
  if (isDirty) dirty.add(source);
  else dirty.delete(source);
  document.body.dataset.unsaved = dirty.size > 0 ? "true" : "false";
}

/** @returns {boolean} whether anything on the page holds unsaved changes */
export function hasUnsavedChanges() {
  return dirty.size > 0;
}

/** Forget every unsaved change (after the person chose to leave, so the browser does not ask a second time). */
export function discardAll() {
  dirty.clear();
  document.body.dataset.unsaved = "false";
}

/**
 * Ask before leaving when something is unsaved.
 * @returns {Promise<boolean>} true when there is nothing unsaved or the person chose to leave (then the changes
 *   are forgotten), false to stay
 */
export async function confirmLeave() {
  if (dirty.size === 0) return true;
  const leave = await confirm({
    title: "Leave without saving?",
    body: "You have changes that are not saved yet. If you leave now, they are lost.",
    confirmLabel: "Leave without saving",
    cancelLabel: "Stay on this page",
    danger: true,
  });
  if (leave) discardAll();
  return leave;
}
