// Ticket printers (MANAGER+): each network printer with its station (or expo: whole orders), paper width, when it
// prints by itself, whether it answers on its port right now and how its last job went; add, edit, delete, print a
// test page. Below, the print jobs (newest first, by status) with "Print again" and "Dismiss" for failed ones.

import { api, el, formatDateTime } from "../../common.js";
import { confirm } from "../dialog.js";
import { createForm } from "../form.js";
import { labelCells } from "../insights.js";
import { createList } from "../list.js";
import { toast } from "../toast.js";

const JOB_STATUS = { PENDING: "Waiting", PRINTING: "Printing", PRINTED: "Printed", FAILED: "Failed" };
const KIND_TEXT = { NEW: "New order", REPRINT: "Reprint", CHANGE: "Change", TEST: "Test page" };
const AUTO = [
  { value: "", label: "Follow the setting (Orders › auto-print status)" },
  { value: "PENDING", label: "As soon as an order is placed" },
  { value: "CONFIRMED", label: "When the order is confirmed" },
  { value: "PREPARING", label: "When preparation starts" },
  { value: "READY", label: "When the order is ready" },
  { value: "NEVER", label: "Never by itself (reprints only)" },
];
const FOLLOW_MS = 1500;

function autoValue(printer) {
  if (printer.autoPrintStatus === null || printer.autoPrintStatus === undefined) return "";
  return printer.autoPrintStatus === "" ? "NEVER" : printer.autoPrintStatus;
}

function autoBody(value) {
  if (value === "" || value === null) return null;
  return value === "NEVER" ? "" : value;
}

function stateText(printer) {
  const parts = [];
  if (!printer.active) parts.push("Switched off");
  else if (printer.reachable === true) parts.push("Answers on its port");
  else if (printer.reachable === false) parts.push("Does not answer");
  if (printer.lastJob) {
    parts.push(
      printer.lastJob.status === "PRINTED"
        ? `Last ticket printed ${formatDateTime(printer.lastJob.at)}`
        : `Last ticket failed: ${printer.lastJob.error || "unknown error"}`,
    );
  }
  if (printer.pendingJobs) parts.push(`${printer.pendingJobs} waiting`);
  return parts.join(" · ") || "Nothing printed yet";
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Printers");
  const listBox = el("div", { class: "admin-station-list" });
  const editBox = el("section", { class: "admin-panel-box", "aria-labelledby": "printer-edit-title", hidden: true });
  const addBox = el("section", { class: "admin-panel-box", "aria-labelledby": "printer-add-title" });
  const jobsBox = el("div", { class: "admin-stack" });
  main.replaceChildren(
    el("p", { class: "muted", text: "Network ticket printers (ESC/POS, raw TCP, usually port 9100). A station's printer prints that station's items; a printer without a station (expo) prints whole orders." }),
    el(
      "div",
      { class: "admin-split" },
      el("section", { "aria-labelledby": "printer-list-title" }, el("h2", { class: "admin-section-title", id: "printer-list-title", text: "Printers" }), listBox),
      el("div", {}, editBox, addBox),
    ),
    el("section", { "aria-labelledby": "print-jobs-title" }, el("h2", { class: "admin-section-title", id: "print-jobs-title", text: "Print jobs" }), jobsBox),
  );
  const stationResponse = await api("/api/stations");
  const stations = [
    { value: "", label: "Expo: whole orders" },
    ...(stationResponse.ok ? stationResponse.data : []).map((s) => ({ value: s.id, label: s.name })),
  ];
  let printers = [];
  let editForm = null;

  async function load() {
    const response = await api("/api/printers?check=true");
    if (!response.ok) {
      listBox.replaceChildren(el("p", { class: "banner banner-error", role: "alert", text: response.error }));
      return;
    }
    printers = response.data;
    drawList();
  }

  function drawList() {
    if (!printers.length) {
      listBox.replaceChildren(el("p", { class: "admin-empty", text: "No printers yet: tickets are not printed. Add the first printer." }));
      return;
    }
    listBox.replaceChildren(
      el(
        "ul",
        { class: "admin-station-cards" },
        printers.map((printer) => {
          const hidden = el("span", { class: "visually-hidden", text: ` ${printer.name}` });
          const test = el("button", { type: "button", class: "btn", dataset: { action: "test" } }, "Print test page", hidden.cloneNode(true));
          const edit = el("button", { type: "button", class: "btn", dataset: { action: "edit" } }, "Edit", hidden.cloneNode(true));
          const remove = el("button", { type: "button", class: "btn btn-ghost", dataset: { action: "delete" } }, "Delete", hidden.cloneNode(true));
          test.addEventListener("click", () => testPage(printer, test));
          edit.addEventListener("click", () => openEdit(printer));
          remove.addEventListener("click", () => removePrinter(printer));
          const failed = printer.lastJob && printer.lastJob.status === "FAILED";
          return el(
            "li",
            { class: `admin-station-card${printer.active ? "" : " is-hidden"}`, dataset: { printer: printer.id } },
            el("div", { class: "admin-tree-name" }, el("strong", { text: printer.name }), el("span", { class: "muted", text: `${printer.host}:${printer.port} · ${printer.widthMm} mm (${printer.columns} characters) · ${printer.stationName || "Expo"}` })),
            el("p", { class: failed || printer.reachable === false ? "admin-error-text" : "muted", text: stateText(printer) }),
            el("div", { class: "admin-ml-actions" }, test, edit, remove),
          );
        }),
      ),
    );
  }

  async function testPage(printer, button) {
    button.disabled = true;
    const response = await api(`/api/printers/${encodeURIComponent(printer.id)}/test`, { method: "POST" });
    button.disabled = false;
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(`Test page sent to ${printer.name}.`, { kind: "success" });
    jobs.reload({ quiet: true });
    return undefined;
  }

  async function removePrinter(printer) {
    const sure = await confirm({ title: `Delete ${printer.name}?`, body: "Its print jobs go with it.", confirmLabel: "Delete printer", danger: true });
    if (!sure) return;
    const response = await api(`/api/printers/${encodeURIComponent(printer.id)}`, { method: "DELETE" });
    if (!response.ok) return toast(response.error, { kind: "error" });
    toast(`${printer.name} deleted.`, { kind: "success" });
    closeEdit();
    await load();
    jobs.reload({ quiet: true });
  }

  function fields() {
    return [
      { name: "name", label: "Name", required: true, maxLength: 60 },
      { name: "host", label: "Address (IP or host name)", required: true, maxLength: 255, help: "For example 192.168.1.50." },
      { name: "port", label: "Port", type: "number", min: 1, max: 65535, step: 1, required: true },
      { name: "widthMm", label: "Paper width", type: "select", options: [{ value: "80", label: "80 mm (48 characters)" }, { value: "58", label: "58 mm (32 characters)" }] },
      { name: "stationId", label: "Station", type: "select", options: stations, nullable: true },
      { name: "autoPrintStatus", label: "Prints new orders", type: "select", options: AUTO },
      { name: "active", label: "Switched on", type: "checkbox" },
    ];
  }

  function body(values) {
    return {
      name: values.name,
      host: values.host,
      port: values.port ?? 9100,
      widthMm: Number(values.widthMm),
      stationId: values.stationId || null,
      autoPrintStatus: autoBody(values.autoPrintStatus),
      active: values.active,
    };
  }

  function openEdit(printer) {
    if (editForm) editForm.destroy();
    editBox.hidden = false;
    editBox.replaceChildren(el("h2", { class: "admin-section-title", id: "printer-edit-title", text: `Edit ${printer.name}` }));
    editForm = createForm(editBox, {
      label: `Edit ${printer.name}`,
      fields: fields(),
      values: { ...printer, widthMm: String(printer.widthMm), stationId: printer.stationId || "", autoPrintStatus: autoValue(printer) },
      submitLabel: "Save printer",
      cancel: { label: "Close", onClick: () => closeEdit() },
      submit: (values) => api(`/api/printers/${encodeURIComponent(printer.id)}`, { method: "PATCH", body: body(values) }),
      onSaved: (saved) => {
        toast(`${saved.name} saved.`, { kind: "success" });
        editForm.markSaved();
        closeEdit();
        load();
      },
    });
    editForm.control("name").focus();
  }

  function closeEdit() {
    if (editForm) editForm.destroy();
    editForm = null;
    editBox.hidden = true;
    editBox.replaceChildren();
  }

  let addForm = null;
  function drawAdd() {
    if (addForm) addForm.destroy();
    addBox.replaceChildren(el("h2", { class: "admin-section-title", id: "printer-add-title", text: "Add a printer" }));
    addForm = createForm(addBox, {
      label: "Add a printer",
      fields: fields(),
      values: { port: 9100, widthMm: "80", stationId: "", autoPrintStatus: "", active: true },
      submitLabel: "Add printer",
      submit: (values) => api("/api/printers", { method: "POST", body: body(values) }),
      onSaved: (saved) => {
        toast(`${saved.name} added.`, { kind: "success" });
        addForm.markSaved();
        load().then(drawAdd);
      },
    });
  }

  async function jobAction(job, action, button) {
    button.disabled = true;
    const response = await api(`/api/print-jobs/${encodeURIComponent(job.id)}/${action}`, { method: "POST" });
    if (!response.ok) {
      button.disabled = false;
      toast(response.error, { kind: "error" });
      return;
    }
    toast(action === "retry" ? "Printing it again." : "Dismissed: the dashboard stops showing it.", { kind: "success" });
    await jobs.reload({ quiet: true });
  }

  let follow = null;
  const jobs = createList(jobsBox, {
    label: "Print jobs",
    noun: ["print job", "print jobs"],
    endpoint: "/api/print-jobs",
    navigate: ctx.navigate,
    filters: [{ name: "status", label: "Status", allLabel: "Any status", options: Object.entries(JOB_STATUS).map(([value, label]) => ({ value, label })) }],
    columns: [
      { label: "Created", value: (j) => el("time", { datetime: j.createdAt, text: formatDateTime(j.createdAt) }) },
      { label: "Printer", value: (j) => j.printerName || "" },
      { label: "Ticket", value: (j) => `${KIND_TEXT[j.kind] || j.kind}${j.orderNumber ? ` · #${j.orderNumber}` : ""}` },
      { label: "Status", value: (j) => el("span", { class: `admin-status admin-delivery-${j.status === "PRINTED" ? "sent" : j.status === "PRINTING" ? "sending" : j.status.toLowerCase()}`, text: `${JOB_STATUS[j.status] || j.status}${j.dismissedAt ? " (dismissed)" : ""}` }) },
      { label: "Attempts", value: (j) => String(j.attempts), align: "end" },
      { label: "Last error", value: (j) => (j.lastError ? el("span", { class: j.status === "PRINTED" ? "muted" : "admin-error-text", text: j.lastError }) : "") },
      {
        label: "Actions",
        value: (j) => {
          if (j.status !== "FAILED") return "";
          const what = `${KIND_TEXT[j.kind] || j.kind}${j.orderNumber ? ` #${j.orderNumber}` : ""} on ${j.printerName || "the printer"}`;
          const retry = el("button", { type: "button", class: "btn", text: "Print again", "aria-label": `Print again: ${what}` });
          retry.addEventListener("click", () => jobAction(j, "retry", retry));
          if (j.dismissedAt) return retry;
          const dismiss = el("button", { type: "button", class: "btn btn-ghost", text: "Dismiss", "aria-label": `Dismiss: ${what}` });
          dismiss.addEventListener("click", () => jobAction(j, "dismiss", dismiss));
          return el("span", { class: "admin-ml-actions" }, retry, dismiss);
        },
      },
    ],
    empty: "No print job matches this filter.",
    onLoad: ({ rows }) => {
      labelCells(jobsBox);
      clearTimeout(follow);
      if (rows.some((j) => j.status === "PENDING" || j.status === "PRINTING")) {
        follow = setTimeout(() => {
          if (document.contains(jobsBox)) jobs.reload({ quiet: true });
        }, FOLLOW_MS);
      }
    },
  });

  await load();
  drawAdd();
}
