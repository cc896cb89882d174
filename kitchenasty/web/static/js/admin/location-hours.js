// A location's weekly opening hours: each day closed or open in up to four ranges (an evening range may end after
// midnight), or no set hours at all (open around the clock). The server checks overlaps and names the range.

import { api, el } from "../common.js";
import { setDirty } from "./leave.js";

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0]; // shown Monday first
const MAX_RANGES = 4;

function weekFrom(hours) {
  const days = new Map(WEEKDAYS.map((_, day) => [day, []]));
  for (const entry of hours || []) {
    if (!entry.isClosed) days.get(entry.dayOfWeek).push({ open: entry.openTime, close: entry.closeTime });
  }
  for (const ranges of days.values()) ranges.sort((a, b) => a.open.localeCompare(b.open));
  return days;
}

/**
 * @param {HTMLElement} root
 * @param {{location: object, onSaved: (location: object) => void}} options
 */
export function createHoursEditor(root, { location, onSaved }) {
  const key = { name: "opening hours" };
  let days = weekFrom(location.operatingHours);
  let allDay = !(location.operatingHours || []).length;
  let baseline = "";
  let indexControls = []; // payload index -> {openTime, closeTime, isClosed} controls
  const section = el("section", { class: "admin-panel-box", "aria-labelledby": "hours-title" });
  const week = el("div", { class: "admin-week" });
  const always = el("input", { type: "checkbox", id: "hours-always" });
  const error = el("p", { class: "form-error", id: "hours-error", role: "alert" });
  const save = el("button", { type: "submit", class: "btn btn-primary", text: "Save opening hours" });
  const form = el(
    "form",
    { class: "admin-hours", novalidate: true, "aria-labelledby": "hours-title" },
    el("label", { class: "check", for: "hours-always" }, always, el("span", { text: "No set hours: open around the clock" })),
    el("p", { class: "admin-help", text: "Each day can have up to four ranges, e.g. 11:30–14:30 and 17:30–22:00. A range ending at or before its start runs past midnight. Holidays are set below as closed dates." }),
    week,
    error,
    el("div", { class: "admin-form-actions" }, save),
  );
  section.append(el("h2", { class: "admin-section-title", id: "hours-title", text: "Opening hours" }), form);
  root.append(section);

  function payload() {
    if (allDay) return [];
    const out = [];
    for (const day of WEEK_ORDER) {
      const ranges = days.get(day);
      if (!ranges.length) out.push({ dayOfWeek: day, openTime: "00:00", closeTime: "00:00", isClosed: true });
      for (const range of ranges) out.push({ dayOfWeek: day, openTime: range.open, closeTime: range.close, isClosed: false });
    }
    return out;
  }

  const snapshot = () => JSON.stringify(payload());
  const changed = () => setDirty(key, snapshot() !== baseline);

  function timeField(label, value, apply, id) {
    const input = el("input", { type: "time", id, value, required: true, step: 60 });
    input.addEventListener("input", () => {
      apply(input.value);
      changed();
    });
    return { input, node: el("div", { class: "admin-field admin-time" }, el("label", { for: id, text: label }), input, el("p", { class: "admin-field-error", id: `${id}-error`, hidden: true })) };
  }

  function render(focus) {
    indexControls = [];
    week.hidden = allDay;
    always.checked = allDay;
    const rows = [];
    for (const day of WEEK_ORDER) {
      const name = WEEKDAYS[day];
      const ranges = days.get(day);
      const closedBox = el("input", { type: "checkbox", id: `hours-${day}-closed`, checked: ranges.length === 0 });
      closedBox.addEventListener("change", () => {
        days.set(day, closedBox.checked ? [] : [{ open: "11:00", close: "22:00" }]);
        render(closedBox.checked ? `hours-${day}-closed` : `hours-${day}-0-open`);
        changed();
      });
      if (!ranges.length) indexControls.push({ isClosed: closedBox });
      const list = el("ul", { class: "admin-ranges" });
      ranges.forEach((range, index) => {
        const base = `hours-${day}-${index}`;
        const open = timeField("Opens", range.open, (v) => (range.open = v), `${base}-open`);
        const close = timeField("Closes", range.close, (v) => (range.close = v), `${base}-close`);
        const remove = el("button", { type: "button", class: "btn btn-ghost" }, "Remove", el("span", { class: "visually-hidden", text: ` ${name}'s range ${index + 1}` }));
        remove.addEventListener("click", () => {
          ranges.splice(index, 1);
          render(ranges.length ? `hours-${day}-${Math.max(0, index - 1)}-open` : `hours-${day}-closed`);
          changed();
        });
        indexControls.push({ openTime: open.input, closeTime: close.input });
        list.append(el("li", { class: "admin-range" }, open.node, close.node, el("div", { class: "admin-range-remove" }, remove)));
      });
      const add = el("button", { type: "button", class: "btn", disabled: ranges.length >= MAX_RANGES || !ranges.length }, "Add a range", el("span", { class: "visually-hidden", text: ` on ${name}` }));
      add.addEventListener("click", () => {
        const last = ranges[ranges.length - 1];
        ranges.push({ open: last ? last.close : "17:00", close: "23:00" });
        render(`hours-${day}-${ranges.length - 1}-open`);
        changed();
      });
      rows.push(
        el(
          "fieldset",
          { class: "admin-day", "aria-labelledby": `hours-${day}-name` },
          el("legend", { id: `hours-${day}-name`, text: name }),
          el("label", { class: "check", for: `hours-${day}-closed` }, closedBox, el("span", { text: "Closed all day" })),
          list,
          ranges.length ? el("div", { class: "admin-form-actions" }, add) : null,
        ),
      );
    }
    week.replaceChildren(...rows);
    if (focus) {
      const target = document.getElementById(focus);
      if (target) target.focus();
    }
  }

  always.addEventListener("change", () => {
    allDay = always.checked;
    if (!allDay && [...days.values()].every((r) => !r.length)) {
      for (const day of [1, 2, 3, 4, 5, 6, 0]) days.set(day, [{ open: "11:00", close: "22:00" }]);
    }
    render();
    changed();
  });

  function clearErrors() {
    error.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const node of form.querySelectorAll(".admin-field-error")) {
      node.textContent = "";
      node.hidden = true;
    }
  }

  function showDetails(details, fallback) {
    let first = null;
    for (const detail of details || []) {
      const match = /^operatingHours\[(\d+)\](?:\.(\w+))?/.exec(String(detail.key || ""));
      const controls = match ? indexControls[Number(match[1])] : null;
      const control = controls && (controls[match[2]] || controls.openTime || controls.isClosed);
      if (!control) continue;
      control.setAttribute("aria-invalid", "true");
      const note = document.getElementById(`${control.id}-error`);
      if (note) {
        note.textContent = detail.message;
        note.hidden = false;
        control.setAttribute("aria-describedby", note.id);
      }
      if (!first) first = control;
    }
    error.textContent = fallback;
    (first || save).focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const body = { operatingHours: payload() };
    if (body.operatingHours.some((entry) => !entry.isClosed && (!entry.openTime || !entry.closeTime))) {
      showDetails(
        body.operatingHours.map((entry, index) => (!entry.isClosed && (!entry.openTime || !entry.closeTime) ? { key: `operatingHours[${index}].${entry.openTime ? "closeTime" : "openTime"}`, message: "Enter a time." } : null)).filter(Boolean),
        "Every range needs an opening and a closing time.",
      );
      return;
    }
    save.disabled = true;
    const response = await api(`/api/locations/${encodeURIComponent(location.id)}`, { method: "PATCH", body });
    save.disabled = false;
    if (!response.ok) {
      showDetails(response.details, response.error);
      return;
    }
    location = response.data;
    days = weekFrom(location.operatingHours);
    allDay = !(location.operatingHours || []).length;
    render();
    baseline = snapshot();
    setDirty(key, false);
    onSaved(location);
  });

  render();
  baseline = snapshot();
}
