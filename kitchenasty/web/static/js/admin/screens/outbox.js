// Outbox (MANAGER+): every e-mail, text message and webhook the restaurant sends, newest first — status, attempts,
// the last error (or the receiver's answer), the next attempt; filter by status and kind; send one failed delivery
// again, or all of them; mark the failures seen (the dashboard stops showing them). Rows still on their way are
// followed until they settle.

import { api, el, formatDateTime } from "../../common.js";
import { confirm } from "../dialog.js";
import { labelCells } from "../insights.js";
import { createList } from "../list.js";
import { toast } from "../toast.js";

export const DELIVERY_STATUS = { PENDING: "Waiting", SENDING: "Sending", SENT: "Sent", FAILED: "Failed" };
export const CHANNEL_TEXT = { email: "E-mail", sms: "Text message", webhook: "Webhook" };
const FOLLOW_MS = 1500;
const AFTER_RETRY_MS = 15000; // after "send again", keep following even when the filter hides the rows on their way

function statusBadge(delivery) {
  return el("span", {
    class: `admin-status admin-delivery-${delivery.status.toLowerCase()}`,
    text: DELIVERY_STATUS[delivery.status] || delivery.status,
  });
}

function recipient(delivery) {
  return el(
    "span",
    { class: "admin-recipient" },
    el("span", { class: delivery.channel === "webhook" ? "admin-code" : null, text: delivery.recipient }),
    delivery.subject ? el("span", { class: "muted", text: delivery.subject }) : null,
    delivery.ruleId ? el("a", { href: `/admin/automation/${encodeURIComponent(delivery.ruleId)}`, text: "Its rule" }) : null,
  );
}

function outcome(delivery) {
  if (delivery.lastError && delivery.status !== "SENT") return el("span", { class: "admin-error-text", text: delivery.lastError });
  if (delivery.lastResponse) return el("span", { class: "muted", text: `Answered: ${delivery.lastResponse}` });
  if (delivery.lastError) return el("span", { class: "muted", text: `Earlier: ${delivery.lastError}` });
  return "";
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Outbox");
  const failedNote = el("p", { class: "admin-outbox-failed", role: "status", id: "outbox-failed" });
  const retryAll = el("button", { type: "button", class: "btn btn-primary", text: "Send all failed again" });
  const seen = el("button", { type: "button", class: "btn", text: "Mark failures as seen" });
  const holder = el("div", { class: "admin-stack" });
  main.replaceChildren(
    el("p", { class: "admin-lead", text: "Every e-mail, text message and webhook the restaurant sends, and how its delivery went." }),
    el("div", { class: "admin-actions-row admin-outbox-actions" }, failedNote, retryAll, seen),
    holder,
  );
  let follow = null;
  let followUntil = 0;
  let failed = 0;

  async function countFailed() {
    const response = await api("/api/automation/deliveries?status=FAILED&limit=1");
    if (!response.ok) return;
    failed = response.body.pagination.total;
    failedNote.textContent =
      failed === 0 ? "No delivery has failed." : `${failed} ${failed === 1 ? "delivery has" : "deliveries have"} failed.`;
    retryAll.disabled = failed === 0;
  }

  async function retryOne(delivery, button) {
    button.disabled = true;
    const response = await api(`/api/automation/deliveries/${encodeURIComponent(delivery.id)}/retry`, { method: "POST" });
    if (!response.ok) {
      button.disabled = false;
      toast(response.error, { kind: "error" });
      return;
    }
    followUntil = Date.now() + AFTER_RETRY_MS;
    toast(`Sending again: ${CHANNEL_TEXT[delivery.channel] || delivery.channel} to ${delivery.recipient}.`, { kind: "success" });
    await list.reload({ quiet: true });
    countFailed();
  }

  const list = createList(holder, {
    label: "Deliveries",
    noun: ["delivery", "deliveries"],
    endpoint: "/api/automation/deliveries",
    navigate: ctx.navigate,
    filters: [
      { name: "status", label: "Status", allLabel: "Any status", options: Object.entries(DELIVERY_STATUS).map(([value, label]) => ({ value, label })) },
      { name: "channel", label: "Kind", allLabel: "Any kind", options: Object.entries(CHANNEL_TEXT).map(([value, label]) => ({ value, label })) },
    ],
    columns: [
      { label: "Created", value: (d) => el("time", { datetime: d.createdAt, text: formatDateTime(d.createdAt) }) },
      { label: "Kind", value: (d) => CHANNEL_TEXT[d.channel] || d.channel },
      { label: "To", value: recipient },
      { label: "Status", value: statusBadge },
      { label: "Attempts", value: (d) => `${d.attempts} of ${d.maxAttempts}`, align: "end" },
      { label: "Last error or answer", value: outcome },
      { label: "Next attempt", value: (d) => (d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : d.sentAt ? `Sent ${formatDateTime(d.sentAt)}` : "None") },
      {
        label: "Actions",
        value: (d) => {
          if (d.status !== "FAILED") return "";
          const button = el("button", {
            type: "button",
            class: "btn",
            text: "Send again",
            "aria-label": `Send again: ${CHANNEL_TEXT[d.channel] || d.channel} to ${d.recipient}`,
          });
          button.addEventListener("click", () => retryOne(d, button));
          return button;
        },
      },
    ],
    rowClass: (d) => `admin-delivery-row admin-delivery-row-${d.status.toLowerCase()}`,
    empty: "No delivery matches these filters.",
    onLoad: ({ rows }) => {
      labelCells(holder);
      clearTimeout(follow);
      if (Date.now() < followUntil || rows.some((d) => d.status === "PENDING" || d.status === "SENDING")) {
        follow = setTimeout(async () => {
          if (!document.contains(holder)) return;
          await list.reload({ quiet: true });
          countFailed();
        }, FOLLOW_MS);
      }
    },
  });

  retryAll.addEventListener("click", async () => {
    const yes = await confirm({
      title: "Send every failed delivery again?",
      body: `${failed} ${failed === 1 ? "delivery" : "deliveries"} will be sent again, each with a fresh set of attempts.`,
      confirmLabel: "Send them again",
    });
    if (!yes) return;
    retryAll.disabled = true;
    const response = await api("/api/automation/deliveries/retry-failed", { method: "POST" });
    if (!response.ok) {
      retryAll.disabled = false;
      toast(response.error, { kind: "error" });
      return;
    }
    const count = response.data.count;
    followUntil = Date.now() + AFTER_RETRY_MS;
    toast(count === 0 ? "Nothing had failed." : `Sending ${count} ${count === 1 ? "delivery" : "deliveries"} again.`, { kind: "success" });
    await list.reload({ quiet: true });
    countFailed();
  });

  seen.addEventListener("click", async () => {
    seen.disabled = true;
    const response = await api("/api/automation/deliveries/failures/seen", { method: "POST" });
    seen.disabled = false;
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    const count = response.data.count;
    toast(
      count === 0 ? "There was nothing new to mark." : `Marked ${count} ${count === 1 ? "failure" : "failures"} as seen: the dashboard stops showing them.`,
      { kind: "success" },
    );
  });

  await countFailed();
}
