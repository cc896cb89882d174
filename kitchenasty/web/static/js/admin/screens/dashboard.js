// Dashboard: today / the last 7 days / the last 30 days (restaurant-local days) — revenue, orders, average order,
// orders by type and status, top items, revenue by hour as a chart; failed deliveries (a banner until someone marks
// them seen) and low stock. Everything comes from GET /api/dashboard/stats (read from the daily rollups).

import { STATUS_TEXT, api, el, money } from "../../common.js";
import { barChart } from "../chart.js";
import { TYPE_TEXT, dayText, figureCards, isManager, numberTable, section, words } from "../insights.js";
import { toast } from "../toast.js";

const PERIODS = [
  { key: "today", label: "Today" },
  { key: "last7Days", label: "Last 7 days" },
  { key: "last30Days", label: "Last 30 days" },
];
const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`);
const REFRESH_MS = 60000;

function currentPeriod() {
  const key = new URLSearchParams(location.search).get("period");
  return PERIODS.some((p) => p.key === key) ? key : "today";
}

function setQuery(name, value, fallback) {
  const query = new URLSearchParams(location.search);
  if (!value || value === fallback) query.delete(name);
  else query.set(name, value);
  const text = query.toString();
  history.replaceState(null, "", `${location.pathname}${text ? `?${text}` : ""}`);
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function hourSummary(period, label) {
  const values = period.revenueByHour;
  const total = values.reduce((sum, v) => sum + v, 0);
  if (!total) return `Revenue by hour, ${label.toLowerCase()}: no revenue yet.`;
  let best = 0;
  values.forEach((v, i) => {
    if (v > values[best]) best = i;
  });
  const next = HOURS[(best + 1) % 24];
  return `Revenue by hour, ${label.toLowerCase()}: ${money(total)} in all; the busiest hour was ${HOURS[best]}–${next} with ${money(values[best])}.`;
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Dashboard");
  const manager = isManager(ctx.user);
  let stats = null;
  let chart = null;

  // ------------------------------------------------------------ controls

  const periodBox = el("fieldset", { class: "admin-segmented" }, el("legend", { class: "visually-hidden", text: "Period" }));
  for (const p of PERIODS) {
    const input = el("input", { type: "radio", name: "period", value: p.key, id: `period-${p.key}` });
    input.checked = p.key === currentPeriod();
    input.addEventListener("change", () => {
      setQuery("period", p.key, "today");
      render();
    });
    periodBox.append(el("label", { class: "admin-segment", for: input.id }, input, el("span", { text: p.label })));
  }
  const locationSelect = el("select", { id: "dashboard-location" }, el("option", { value: "", text: "All locations" }));
  locationSelect.addEventListener("change", () => {
    setQuery("location", locationSelect.value, "");
    load();
  });
  const locationField = el(
    "div",
    { class: "admin-filter" },
    el("label", { for: "dashboard-location", text: "Location" }),
    locationSelect,
  );
  const range = el("p", { class: "admin-period-range muted", id: "dashboard-range" });
  const toolbar = el("div", { class: "admin-toolbar" }, periodBox, locationField);

  // ------------------------------------------------------------ regions

  const alerts = el("div", { class: "admin-alerts", id: "dashboard-alerts" });
  const problem = el("p", { class: "banner banner-error", role: "alert", hidden: true });
  const figures = el("div", { id: "dashboard-figures" });
  const chartHolder = el("div", { class: "admin-chart-holder" });
  const hourTable = el("div");
  const hourDetails = el("details", { class: "admin-details" }, el("summary", { text: "Revenue by hour as a table" }), hourTable);
  const chartSection = section("Revenue by hour", chartHolder, hourDetails);
  const byType = el("div");
  const byStatus = el("div");
  const topItems = el("div");
  const grid = el(
    "div",
    { class: "admin-panels" },
    section("Orders by type", byType),
    section("Orders by status", byStatus),
    section("Top items", topItems),
  );
  const updated = el("p", { class: "admin-updated muted", role: "status" });
  main.replaceChildren(toolbar, range, problem, alerts, figures, chartSection, grid, updated);

  // ------------------------------------------------------------ drawing

  function renderAlerts() {
    alerts.replaceChildren();
    const failed = stats.failedDeliveries;
    if (failed > 0) {
      const text = `${plural(failed, "delivery", "deliveries")} failed: ${failed === 1 ? "an e-mail, text or webhook" : "e-mails, texts or webhooks"} could not be sent.`;
      const banner = el("div", { class: "banner banner-warn admin-alert", role: "status", id: "dashboard-failed" }, el("span", { text }));
      if (manager) {
        const seen = el("button", { type: "button", class: "btn", text: "Mark as seen" });
        seen.addEventListener("click", async () => {
          seen.disabled = true;
          const response = await api("/api/automation/deliveries/failures/seen", { method: "POST" });
          seen.disabled = false;
          if (!response.ok) {
            toast(response.error, { kind: "error" });
            return;
          }
          toast("Marked as seen: the dashboard stops counting these failures.", { kind: "success" });
          await load();
          figures.closest(".admin-main")?.focus();
        });
        banner.append(
          el("span", { class: "admin-alert-actions" }, el("a", { class: "btn", href: "/admin/outbox?status=FAILED", text: "See them in the outbox" }), seen),
        );
      } else {
        banner.append(el("span", { text: " A manager can send them again from the outbox." }));
      }
      alerts.append(banner);
    }
    const failedPrints = stats.failedPrintJobs || 0;
    if (failedPrints > 0) {
      const text = `${plural(failedPrints, "kitchen ticket", "kitchen tickets")} failed to print.`;
      const banner = el("div", { class: "banner banner-warn admin-alert", role: "status", id: "dashboard-failed-prints" }, el("span", { text }));
      banner.append(
        manager
          ? el("span", { class: "admin-alert-actions" }, el("a", { class: "btn", href: "/admin/printers", text: "Print them again or dismiss them" }))
          : el("span", { text: " A manager can print them again from the printers screen." }),
      );
      alerts.append(banner);
    }
    if (stats.lowStock.length) {
      alerts.append(
        el(
          "div",
          { class: "banner banner-warn admin-alert", role: "status", id: "dashboard-low-stock" },
          el("span", { text: `Low stock: ${stats.lowStock.map((i) => `${i.name} (${i.stockQty} left)`).join(", ")}.` }),
        ),
      );
    }
  }

  function render() {
    if (!stats) return;
    const key = currentPeriod();
    const label = PERIODS.find((p) => p.key === key).label;
    const period = stats.periods[key];
    range.textContent =
      period.start === period.end ? `${label}: ${dayText(period.start)}` : `${label}: ${dayText(period.start)} to ${dayText(period.end)}`;
    figures.replaceChildren(
      figureCards(
        [
          { name: "revenue", label: "Revenue", value: money(period.revenue), note: "Orders not cancelled" },
          { name: "orders", label: "Orders", value: String(period.orders), note: period.cancelled ? `${period.cancelled} cancelled` : "None cancelled" },
          { name: "average", label: "Average order", value: money(period.averageOrder) },
        ],
        `${label}: figures`,
      ),
    );
    const summary = hourSummary(period, label);
    if (chart) chart.update(period.revenueByHour, summary);
    else chart = barChart(chartHolder, { labels: HOURS, values: period.revenueByHour, label: "Revenue", summary, format: (v) => money(v) });
    hourTable.replaceChildren(
      numberTable({
        caption: `Revenue by hour, ${label.toLowerCase()}`,
        head: ["Hour", "Revenue"],
        rows: HOURS.map((h, i) => [h, money(period.revenueByHour[i])]),
      }),
    );
    byType.replaceChildren(
      numberTable({
        caption: `Orders by type, ${label.toLowerCase()}`,
        head: ["Type", "Orders", "Revenue"],
        rows: Object.entries(period.byType).map(([type, split]) => [words(type, TYPE_TEXT), split.orders, money(split.revenue)]),
        empty: "No orders in this period.",
      }),
    );
    byStatus.replaceChildren(
      numberTable({
        caption: `Orders by status, ${label.toLowerCase()}`,
        head: ["Status", "Orders"],
        rows: Object.entries(period.byStatus).map(([status, count]) => [STATUS_TEXT[status] || words(status), count]),
        empty: "No orders in this period.",
      }),
    );
    topItems.replaceChildren(
      numberTable({
        caption: `Top items, ${label.toLowerCase()}`,
        head: ["Item", "Sold", "Revenue"],
        rows: period.topItems.map((item) => [item.name, item.totalQuantity, money(item.revenue)]),
        empty: "Nothing sold in this period.",
      }),
    );
    renderAlerts();
    main.dataset.loaded = String(Number(main.dataset.loaded || 0) + 1);
  }

  async function load() {
    const query = locationSelect.value ? `?locationId=${encodeURIComponent(locationSelect.value)}` : "";
    const response = await api(`/api/dashboard/stats${query}`);
    if (!response.ok) {
      problem.textContent = response.error;
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    stats = response.data;
    updated.textContent = `Updated ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}; it refreshes every minute.`;
    render();
  }

  const locations = await api("/api/locations?limit=100");
  if (locations.ok && Array.isArray(locations.data)) {
    for (const loc of locations.data) locationSelect.append(el("option", { value: loc.id, text: loc.name }));
    locationSelect.value = new URLSearchParams(location.search).get("location") || "";
    if (locations.data.length <= 1 && !locationSelect.value) locationField.hidden = true;
  }
  await load();
  const timer = setInterval(() => {
    if (!document.hidden && document.contains(main)) load();
  }, REFRESH_MS);
  window.addEventListener("pagehide", () => clearInterval(timer), { once: true });
}
