// The day's bookings (/admin/reservations?date=&locationId=): a timeline per table (rows = tables, columns = time),
// one booking's details with the status buttons the API allows (`nextStatuses`) and a table dropdown to move it,
// walk-ins, the bookings flagged for reassignment, and live updates from the `reservations` room (its snapshot is
// the day's bookings; then reservation.created / updated / deleted of any day, of which this page keeps its own).

import { LiveSocket, api, el } from "../common.js";
import { confirm } from "./dialog.js";
import { createForm } from "./form.js";
import { toast } from "./toast.js";
import {
  ACTION_TEXT,
  DONE_TEXT,
  STATUS_TEXT,
  clock,
  guests,
  locationChoices,
  minutesOf,
  sayDate,
  sentence,
  statusBadge,
  today,
} from "./reservations-shared.js";

const PX_PER_MINUTE = 2;
const HIDDEN_STATUSES = new Set(["CANCELLED"]); // kept out of the timeline (they hold no table), listed below it
const ASK_FIRST = new Set(["CANCELLED", "NO_SHOW"]);

/** @param {HTMLElement} main @param {object} ctx */
export async function mountDay(main, ctx) {
  ctx.setTitle("Reservations");
  const params = new URLSearchParams(location.search);
  const locations = await locationChoices(api);
  if (!locations.length) {
    main.replaceChildren(el("p", { class: "banner banner-warn", text: "There is no active location yet: add one under Locations first." }));
    return;
  }
  const state = {
    day: /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") || "") ? params.get("date") : today(),
    locationId: locations.some((l) => l.id === params.get("locationId")) ? params.get("locationId") : locations[0].id,
    bookings: new Map(),
    location: null,
    selected: null,
  };

  // ---------------------------------------------------------------- the toolbar
  const dateInput = el("input", { type: "date", id: "rv-date", value: state.day });
  const locationSelect = el("select", { id: "rv-location" }, locations.map((l) => el("option", { value: l.id, text: l.name })));
  locationSelect.value = state.locationId;
  const live = el("p", { class: "admin-live", id: "rv-live", role: "status", dataset: { state: "connecting" } }, "Connecting…");
  const walkInButton = el("button", { type: "button", class: "btn btn-primary", id: "rv-walk-in-open", "aria-expanded": "false", "aria-controls": "rv-walk-in", text: "Add a walk-in" });
  const todayButton = el("button", { type: "button", class: "btn", text: "Today" });
  const toolbar = el(
    "div",
    { class: "admin-rv-toolbar" },
    el("div", { class: "admin-rv-pick" }, el("label", { for: "rv-date", text: "Day" }), dateInput),
    locations.length > 1 ? el("div", { class: "admin-rv-pick" }, el("label", { for: "rv-location", text: "Location" }), locationSelect) : null,
    el("div", { class: "admin-rv-buttons" }, todayButton, walkInButton, el("a", { class: "btn", href: "/admin/reservations/trends", text: "Trends" })),
    live,
  );

  const walkInBox = el("section", { class: "admin-rv-walk-in", id: "rv-walk-in", "aria-labelledby": "rv-walk-in-title", hidden: true }, el("h2", { class: "admin-section-title", id: "rv-walk-in-title", text: "Seat a walk-in now" }));
  const dayTitle = el("h2", { class: "admin-section-title", id: "rv-day-title" });
  const summary = el("p", { class: "muted", id: "rv-summary" });
  const timeline = el("div", { class: "admin-rv-timeline", id: "rv-timeline", tabindex: "0", role: "region", "aria-labelledby": "rv-day-title" });
  const detail = el("section", { class: "admin-rv-detail admin-card", id: "rv-detail", "aria-labelledby": "rv-detail-title", hidden: true });
  const cancelledBox = el("div", { id: "rv-cancelled" });
  const flaggedBox = el("section", { class: "admin-section", id: "rv-flagged", "aria-labelledby": "rv-flagged-title" });
  main.replaceChildren(toolbar, walkInBox, el("section", { class: "admin-section" }, dayTitle, summary, timeline, detail, cancelledBox), flaggedBox);

  // ---------------------------------------------------------------- reading
  async function loadLocation() {
    const response = await api(`/api/locations/${encodeURIComponent(state.locationId)}`);
    state.location = response.ok ? response.data : { tables: [], operatingHours: [], name: "" };
  }

  function tableRows() {
    const tables = (state.location ? state.location.tables : []).slice();
    const known = new Set(tables.map((t) => t.id));
    for (const r of state.bookings.values()) {
      if (r.tableId && !known.has(r.tableId)) {
        known.add(r.tableId);
        tables.push({ id: r.tableId, name: r.table ? r.table.name : "Table", capacity: r.table ? r.table.capacity : null, isActive: false });
      }
    }
    tables.sort((a, b) => (a.isActive === b.isActive ? a.name.localeCompare(b.name, undefined, { numeric: true }) : a.isActive ? -1 : 1));
    return tables.filter((t) => t.isActive || [...state.bookings.values()].some((r) => r.tableId === t.id));
  }

  function span(rows) {
    const [y, m, d] = state.day.split("-").map(Number);
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    let start = Infinity;
    let end = -Infinity;
    for (const hours of (state.location && state.location.operatingHours) || []) {
      if (hours.dayOfWeek !== weekday || hours.isClosed) continue;
      const open = minutesOf(hours.openTime);
      let close = minutesOf(hours.closeTime);
      if (close <= open) close += 1440;
      start = Math.min(start, open);
      end = Math.max(end, close);
    }
    for (const r of rows) {
      start = Math.min(start, minutesOf(r.time));
      end = Math.max(end, minutesOf(r.time) + r.durationMinutes);
    }
    if (!Number.isFinite(start)) [start, end] = [11 * 60, 23 * 60];
    start = Math.floor(start / 60) * 60;
    end = Math.max(start + 120, Math.ceil(end / 60) * 60);
    return [start, end];
  }

  // ---------------------------------------------------------------- drawing
  function block(r, start) {
    const from = minutesOf(r.time);
    const hidden = (text) => el("span", { class: "visually-hidden", text });
    const button = el(
      "button",
      {
        type: "button",
        class: `admin-rv-block admin-rv-block-${r.status.toLowerCase()}${r.needsReassignment ? " is-flagged" : ""}${state.selected === r.id ? " is-selected" : ""}`,
        "aria-pressed": state.selected === r.id ? "true" : "false",
        "aria-controls": "rv-detail",
        dataset: { id: r.id },
      },
      el("span", { class: "admin-rv-block-time", text: r.time }),
      hidden(` to ${clock(from + r.durationMinutes)}, `),
      el("span", { class: "admin-rv-block-name", text: r.customerName || "Guest" }),
      hidden(", "),
      el("span", { class: "admin-rv-block-party", text: `${r.partySize}` }),
      hidden(` ${r.partySize === 1 ? "guest" : "guests"}, ${STATUS_TEXT[r.status]}${r.needsReassignment ? ", needs another table" : ""}`),
    );
    button.style.left = `${(from - start) * PX_PER_MINUTE}px`;
    button.style.width = `${Math.max(28, r.durationMinutes * PX_PER_MINUTE - 4)}px`;
    button.addEventListener("click", () => select(r.id));
    return el("li", {}, button);
  }

  function drawTimeline() {
    const shown = [...state.bookings.values()].filter((r) => !HIDDEN_STATUSES.has(r.status)).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const [start, end] = span(shown);
    const width = (end - start) * PX_PER_MINUTE;
    const hours = [];
    for (let m = start; m < end; m += 60) {
      const mark = el("span", { class: "admin-rv-hour", text: clock(m) });
      mark.style.left = `${(m - start) * PX_PER_MINUTE}px`;
      hours.push(mark);
    }
    const axis = el("div", { class: "admin-rv-axis", "aria-hidden": "true" }, el("span", { class: "admin-rv-row-head" }), el("div", { class: "admin-rv-hours" }, hours));
    axis.lastChild.style.width = `${width}px`;
    const row = (key, title, sub, items) => {
      const track = el("ol", { class: "admin-rv-track", "aria-label": `${title}: ${items.length ? `${items.length} ${items.length === 1 ? "booking" : "bookings"}` : "free all day"}` }, items.map((r) => block(r, start)));
      track.style.width = `${width}px`;
      return el("li", { class: "admin-rv-row", dataset: { table: key } }, el("div", { class: "admin-rv-row-head" }, el("strong", { text: title }), sub ? el("span", { class: "muted", text: sub }) : null), track);
    };
    const rows = tableRows().map((t) =>
      row(t.id, t.name, t.isActive ? `${t.capacity} seats` : "out of use", shown.filter((r) => r.tableId === t.id)),
    );
    const loose = shown.filter((r) => !r.tableId);
    if (loose.length) rows.push(row("none", "No table", "", loose));
    const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".admin-rv-block") : null;
    const focusId = focused ? focused.dataset.id : null;
    const scroll = timeline.scrollLeft;
    timeline.replaceChildren(axis, el("ul", { class: "admin-rv-rows" }, rows));
    timeline.scrollLeft = scroll;
    if (focusId) {
      const again = timeline.querySelector(`.admin-rv-block[data-id="${CSS.escape(focusId)}"]`);
      if (again) again.focus();
    }
    dayTitle.textContent = `${sayDate(state.day)} at ${state.location ? state.location.name : ""}`;
    const covers = shown.reduce((sum, r) => sum + r.partySize, 0);
    summary.textContent = shown.length
      ? `${shown.length} ${shown.length === 1 ? "booking" : "bookings"}, ${guests(covers)}. Choose a booking to change it.`
      : "No bookings on this day yet.";
    const cancelled = [...state.bookings.values()].filter((r) => HIDDEN_STATUSES.has(r.status));
    cancelledBox.replaceChildren(
      cancelled.length
        ? el("p", { class: "muted", id: "rv-cancelled-note" }, `Cancelled: ${cancelled.map((r) => `${r.time} ${r.customerName || "Guest"} (${guests(r.partySize)})`).join("; ")}.`)
        : "",
    );
  }

  function tableSelect(id, r) {
    const select = el("select", { id });
    const tables = tableRows().filter((t) => t.isActive);
    for (const t of tables) {
      const small = t.capacity < r.partySize;
      select.append(el("option", { value: t.id, text: `${t.name} (${t.capacity} seats${small ? ", too small" : ""})`, disabled: small && t.id !== r.tableId }));
    }
    if (r.tableId && !tables.some((t) => t.id === r.tableId)) select.prepend(el("option", { value: r.tableId, text: `${r.table ? r.table.name : "Table"} (out of use)` }));
    if (!r.tableId) select.prepend(el("option", { value: "", text: "Choose a table" }));
    select.value = r.tableId || "";
    return select;
  }

  function drawDetail() {
    const r = state.selected ? state.bookings.get(state.selected) : null;
    if (!r) {
      detail.hidden = true;
      detail.replaceChildren();
      return;
    }
    const facts = [
      ["When", `${r.time}–${clock(minutesOf(r.time) + r.durationMinutes)}`],
      ["Guests", String(r.partySize)],
      ["Table", r.table ? r.table.name : "None yet"],
      ["Status", statusBadge(r.status)],
      ["Phone", r.guestPhone || (r.customer && r.customer.phone) || "—"],
      ["E-mail", r.guestEmail || (r.customer && r.customer.email) || "—"],
      ["Booked", r.source === "walk_in" ? "Walk-in" : r.source === "staff" ? "By staff" : "Online"],
    ];
    if (r.comment) facts.push(["Note", r.comment]);
    const buttons = r.nextStatuses.map((status) =>
      el("button", {
        type: "button",
        class: `btn ${status === "CANCELLED" ? "btn-danger" : status === r.nextStatuses[0] ? "btn-primary" : ""}`,
        dataset: { status },
        text: ACTION_TEXT[status] || STATUS_TEXT[status],
        onclick: () => move(r, status),
      }),
    );
    const movable = r.status === "PENDING" || r.status === "CONFIRMED" || r.status === "SEATED";
    const select = tableSelect("rv-table", r);
    const moveButton = el("button", { type: "button", class: "btn", id: "rv-move", text: "Move to this table", onclick: () => reassign(r, select.value) });
    const parts = [
      el("div", { class: "admin-rv-detail-head" },
        el("h2", { class: "admin-section-title", id: "rv-detail-title", tabindex: "-1", text: `${r.customerName || "Guest"} at ${r.time}` }),
        el("button", { type: "button", class: "btn btn-ghost", text: "Close", onclick: () => select_(null, true) }),
      ),
      r.needsReassignment ? el("p", { class: "banner banner-warn", text: "Its table is out of use or too small now: move it to another table." }) : null,
      el("dl", { class: "admin-facts" }, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)])),
      buttons.length ? el("div", { class: "admin-actions", role: "group", "aria-label": "Status" }, buttons) : el("p", { class: "muted", text: `This booking is ${STATUS_TEXT[r.status].toLowerCase()}: its status cannot change any more.` }),
      movable ? el("div", { class: "admin-rv-move" }, el("label", { for: "rv-table", text: "Table" }), el("div", { class: "inline" }, select, moveButton)) : null,
    ];
    detail.replaceChildren(...parts.filter(Boolean)); // (replaceChildren would write a null as the text "null")
    detail.hidden = false;
  }

  function draw() {
    drawTimeline();
    drawDetail();
  }

  function select_(id, focusBack = false) {
    const previous = state.selected;
    state.selected = id;
    draw();
    if (id) detail.querySelector("#rv-detail-title").focus();
    else if (focusBack && previous) {
      const again = timeline.querySelector(`.admin-rv-block[data-id="${CSS.escape(previous)}"]`);
      if (again) again.focus();
    }
  }
  const select = (id) => select_(state.selected === id ? null : id);

  // ---------------------------------------------------------------- changing
  function keep(r) {
    if (r.date === state.day && r.locationId === state.locationId) state.bookings.set(r.id, r);
    else state.bookings.delete(r.id);
  }

  async function move(r, status) {
    const name = r.customerName || "the guest";
    if (ASK_FIRST.has(status)) {
      const ok = await confirm({
        title: status === "CANCELLED" ? "Cancel this booking?" : "Mark as a no-show?",
        body: status === "CANCELLED" ? `The booking of ${name} at ${r.time} is cancelled and its table freed.` : `${name} did not come for the booking at ${r.time}.`,
        confirmLabel: status === "CANCELLED" ? "Cancel booking" : "Mark as no-show",
        cancelLabel: "Keep it",
        danger: true,
      });
      if (!ok) return;
    }
    const response = await api(`/api/reservations/${encodeURIComponent(r.id)}`, { method: "PATCH", body: { status } });
    if (!response.ok) {
      toast(sentence(response.error), { kind: "error" });
      return;
    }
    keep(response.data);
    draw();
    toast(`The booking of ${name} at ${r.time} is ${DONE_TEXT[status]}.`, { kind: "success" });
    const next = detail.querySelector(".admin-actions .btn");
    (next || detail.querySelector("#rv-detail-title")).focus();
  }

  async function reassign(r, tableId) {
    if (!tableId) {
      toast("Choose a table first.", { kind: "error" });
      return;
    }
    if (tableId === r.tableId) {
      toast("The booking is at that table already.", { kind: "info" });
      return;
    }
    const response = await api(`/api/reservations/${encodeURIComponent(r.id)}`, { method: "PATCH", body: { tableId } });
    if (!response.ok) {
      toast(sentence(response.error), { kind: "error" });
      return false;
    }
    keep(response.data);
    draw();
    loadFlagged();
    toast(`The booking of ${r.customerName || "the guest"} at ${r.time} moved to ${response.data.table ? response.data.table.name : "its new table"}.`, { kind: "success" });
    return true;
  }

  // ---------------------------------------------------------------- walk-ins
  let walkIn = null;
  function openWalkIn(open) {
    walkInBox.hidden = !open;
    walkInButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      if (walkIn) walkIn.destroy();
      walkIn = null;
      walkInBox.replaceChildren(walkInBox.firstChild);
      walkInButton.focus();
      return;
    }
    const tables = tableRows().filter((t) => t.isActive);
    walkIn = createForm(walkInBox, {
      label: "Seat a walk-in now",
      trackChanges: false,
      fields: [
        { name: "partySize", label: "Guests", type: "number", min: 1, max: 1000, step: 1, required: true },
        {
          name: "tableId",
          label: "Table",
          type: "select",
          nullable: true,
          options: [{ value: "", label: "The smallest free table" }, ...tables.map((t) => ({ value: t.id, label: `${t.name} (${t.capacity} seats)` }))],
        },
        { name: "guestName", label: "Name (optional)", nullable: true, maxLength: 120 },
        { name: "guestPhone", label: "Phone (optional)", type: "tel", nullable: true, maxLength: 40 },
        { name: "comment", label: "Note (optional)", type: "textarea", rows: 2, nullable: true, maxLength: 500 },
      ],
      values: { partySize: 2, tableId: "" },
      submitLabel: "Seat them now",
      cancel: { label: "Close", onClick: () => openWalkIn(false) },
      submit: (values) => api("/api/reservations/walk-in", { method: "POST", body: { ...values, partySize: Number(values.partySize), locationId: state.locationId } }),
      onSaved: (saved) => {
        keep(saved);
        draw();
        const where = saved.table ? ` at ${saved.table.name}` : "";
        const other = saved.date !== state.day ? ` (today, ${sayDate(saved.date)})` : "";
        toast(`A walk-in of ${guests(saved.partySize)} is seated${where}${other}.`, { kind: "success" });
        openWalkIn(false);
      },
    });
    walkIn.control("partySize").focus();
  }
  walkInButton.addEventListener("click", () => openWalkIn(walkInBox.hidden));

  // ---------------------------------------------------------------- flagged for reassignment
  let flaggedTimer = null;
  async function loadFlagged() {
    clearTimeout(flaggedTimer);
    const query = new URLSearchParams({ needsReassignment: "true", status: "PENDING,CONFIRMED", from: today(), limit: "100" });
    const response = await api(`/api/reservations?${query}`);
    const title = el("h2", { class: "admin-section-title", id: "rv-flagged-title", text: "Bookings to move to another table" });
    if (!response.ok) {
      flaggedBox.replaceChildren(title, el("p", { class: "banner banner-error", text: sentence(response.error) }));
      return;
    }
    if (!response.data.length) {
      flaggedBox.replaceChildren(title, el("p", { class: "muted", text: "None: every upcoming booking has a table that seats it." }));
      return;
    }
    const items = response.data.map((r, i) => {
      const id = `rv-flag-${i}`;
      const choice = el("select", { id });
      choice.append(el("option", { value: "", text: "Choose a table" }));
      const fill = (tables) => {
        for (const t of tables) if (t.isActive && t.capacity >= r.partySize) choice.append(el("option", { value: t.id, text: `${t.name} (${t.capacity} seats)` }));
      };
      if (r.locationId === state.locationId && state.location) fill(state.location.tables);
      else api(`/api/locations/${encodeURIComponent(r.locationId)}`).then((loc) => loc.ok && fill(loc.data.tables));
      return el(
        "li",
        { class: "admin-card", dataset: { id: r.id } },
        el("p", {}, el("strong", { text: `${sayDate(r.date)}, ${r.time}` }), ` · ${r.customerName || "Guest"} · ${guests(r.partySize)} · was at ${r.table ? r.table.name : "no table"} (${r.location.name})`),
        el("label", { for: id, text: "New table" }),
        el("div", { class: "inline" }, choice, el("button", { type: "button", class: "btn", text: "Move", onclick: () => reassign(r, choice.value) })),
      );
    });
    flaggedBox.replaceChildren(title, el("ul", { class: "admin-cards admin-rv-flagged" }, items));
  }
  const refreshFlagged = () => {
    clearTimeout(flaggedTimer);
    flaggedTimer = setTimeout(loadFlagged, 500);
  };

  // ---------------------------------------------------------------- live
  const setLive = (stateName, text) => {
    live.dataset.state = stateName;
    live.textContent = text;
  };
  let socket = null;
  function follow() {
    if (socket) socket.stop();
    const query = new URLSearchParams({ date: state.day, locationId: state.locationId });
    socket = new LiveSocket(`/api/ws/reservations?${query}`, {
      onSnapshot: (list) => {
        state.bookings = new Map(list.map((r) => [r.id, r]));
        if (state.selected && !state.bookings.has(state.selected)) state.selected = null;
        draw();
        setLive("live", "Live: new bookings appear here by themselves.");
      },
      onEvent: (event, data) => {
        if (event === "reservation.deleted") state.bookings.delete(data.id);
        else if (event === "reservation.created" || event === "reservation.updated") keep(data);
        else return;
        if (state.selected && !state.bookings.has(state.selected)) state.selected = null;
        draw();
        refreshFlagged();
      },
      onState: (name) => {
        if (name === "offline") setLive("offline", "Offline: reconnecting… The bookings may be out of date.");
        else if (name !== "live" && name !== "refused") setLive("connecting", "Connecting…");
      },
      onRefused: () => setLive("offline", "Live updates are not available: reload the page to log in again."),
    });
    socket.start();
  }

  async function change() {
    const query = new URLSearchParams({ date: state.day });
    if (locations.length > 1) query.set("locationId", state.locationId);
    history.replaceState(null, "", `${location.pathname}?${query}`);
    state.selected = null;
    state.bookings = new Map();
    await loadLocation();
    draw();
    follow();
  }
  dateInput.addEventListener("change", () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) return;
    state.day = dateInput.value;
    change();
  });
  todayButton.addEventListener("click", () => {
    state.day = today();
    dateInput.value = state.day;
    change();
  });
  locationSelect.addEventListener("change", () => {
    state.locationId = locationSelect.value;
    change();
  });

  await loadLocation();
  draw();
  follow();
  loadFlagged();
}
