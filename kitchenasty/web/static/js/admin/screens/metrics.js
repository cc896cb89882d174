// Request metrics (MANAGER+): requests, errors and response times over the last hours — in total, per hour (a
// chart and a table) and per endpoint (a sortable table). Counted in memory by the server and flushed once a
// minute (GET /api/developer/metrics and /metrics/endpoints); the minute not flushed yet is included.

import { api, el } from "../../common.js";
import { barChart } from "../chart.js";
import { figureCards, numberTable, section } from "../insights.js";
import { createList } from "../list.js";

const PERIODS = [
  { value: "1", label: "Last hour" },
  { value: "6", label: "Last 6 hours" },
  { value: "24", label: "Last 24 hours" },
  { value: "72", label: "Last 3 days" },
  { value: "168", label: "Last 7 days" },
];
const DEFAULT_HOURS = 24;

function currentHours() {
  const value = new URLSearchParams(location.search).get("hours");
  return PERIODS.some((p) => p.value === value) ? Number(value) : DEFAULT_HOURS;
}
const HOUR_MS = 3600 * 1000;

function ms(value) {
  return `${Number(value || 0).toLocaleString([], { maximumFractionDigits: 1 })} ms`;
}

function hourLabel(date, span) {
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return span > 24 ? `${date.toLocaleDateString([], { day: "numeric", month: "short" })} ${time}` : time;
}

/** Every hour of the period (oldest first), with the hours that had no request as zeros. */
function everyHour(hourly, hours) {
  const byHour = new Map(hourly.map((h) => [new Date(h.hour).getTime(), h]));
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  const out = [];
  for (let i = hours - 1; i >= 0; i -= 1) {
    const at = now.getTime() - i * HOUR_MS;
    const row = byHour.get(at) || { requests: 0, errors: 0, avgResponseTime: 0 };
    out.push({ at: new Date(at), ...row });
  }
  return out;
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  ctx.setTitle("Request metrics");
  const problem = el("p", { class: "banner banner-error", role: "alert", hidden: true });
  const figures = el("div", { id: "metrics-figures" });
  const chartHolder = el("div", { class: "admin-chart-holder" });
  const hourTable = el("div");
  const perHour = section(
    "Requests per hour",
    chartHolder,
    el("details", { class: "admin-details" }, el("summary", { text: "Requests per hour as a table" }), hourTable),
  );
  const endpoints = el("div");
  let chart = null;
  let request = 0;

  async function loadSummary(hours) {
    const mine = ++request;
    const response = await api(`/api/developer/metrics?hours=${hours}`);
    if (mine !== request) return;
    if (!response.ok) {
      problem.textContent = response.error;
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    const { summary, hourly } = response.data;
    const label = (PERIODS.find((p) => p.value === String(hours)) || { label: "Last 24 hours" }).label;
    figures.replaceChildren(
      figureCards(
        [
          { name: "requests", label: "Requests", value: summary.totalRequests.toLocaleString(), note: `${summary.requestsPerMinute} a minute` },
          {
            name: "errors",
            label: "Server errors",
            value: summary.errorCount.toLocaleString(),
            note: `${summary.errorRate}% of requests (status 500 or more)`,
          },
          { name: "latency", label: "Average response", value: ms(summary.avgResponseTime) },
        ],
        `${label}: figures`,
      ),
    );
    const rows = everyHour(hourly, hours);
    const labels = rows.map((r) => hourLabel(r.at, hours));
    const values = rows.map((r) => r.requests);
    const busiest = rows.reduce((best, r) => (r.requests > best.requests ? r : best), rows[0]);
    const words =
      summary.totalRequests === 0
        ? `Requests per hour, ${label.toLowerCase()}: none.`
        : `Requests per hour, ${label.toLowerCase()}: ${summary.totalRequests} in all; the busiest hour began at ${hourLabel(busiest.at, hours)} with ${busiest.requests}.`;
    if (chart) chart.destroy();
    chart = barChart(chartHolder, { labels, values, label: "Requests", summary: words, format: (v) => String(Math.round(v)) });
    hourTable.replaceChildren(
      numberTable({
        caption: `Requests per hour, ${label.toLowerCase()}`,
        head: ["Hour", "Requests", "Server errors", "Average response"],
        rows: rows
          .filter((r) => r.requests > 0)
          .reverse()
          .map((r) => [hourLabel(r.at, hours), r.requests, r.errors, ms(r.avgResponseTime)]),
        empty: "No request in this period.",
      }),
    );
  }

  const period = el("select", { id: "metrics-hours" }, PERIODS.map((p) => el("option", { value: p.value, text: p.label })));
  period.value = String(currentHours());
  main.replaceChildren(
    el("p", { class: "admin-lead", text: "How the server is doing: how many requests it answered, how fast, and how many failed." }),
    el("div", { class: "admin-toolbar" }, el("div", { class: "admin-filter" }, el("label", { for: "metrics-hours", text: "Period" }), period)),
    problem,
    figures,
    perHour,
    section("Per endpoint", endpoints),
  );

  const list = createList(endpoints, {
    label: "Endpoints",
    noun: ["endpoint", "endpoints"],
    endpoint: () => `/api/developer/metrics/endpoints?hours=${currentHours()}`,
    navigate: ctx.navigate,
    limit: 100,
    sort: { mode: "client", key: "count", dir: "desc" },
    columns: [
      { label: "Endpoint", key: "path", value: (e) => el("span", {}, el("span", { class: "admin-method", text: e.method }), " ", e.path), sortable: true, sortValue: (e) => `${e.path} ${e.method}` },
      { label: "Requests", key: "count", align: "end", sortable: true, sortValue: (e) => e.count },
      { label: "Server errors", key: "errors", align: "end", sortable: true, sortValue: (e) => e.errors },
      { label: "Average", key: "avgResponseTime", value: (e) => ms(e.avgResponseTime), align: "end", sortable: true, sortValue: (e) => e.avgResponseTime },
      { label: "95th percentile", key: "p95ResponseTime", value: (e) => `≤ ${ms(e.p95ResponseTime)}`, align: "end", sortable: true, sortValue: (e) => e.p95ResponseTime },
    ],
    empty: "No request in this period.",
    onLoad: () => loadSummary(currentHours()),
  });
  period.addEventListener("change", () => {
    const query = new URLSearchParams(location.search);
    if (period.value === String(DEFAULT_HOURS)) query.delete("hours");
    else query.set("hours", period.value);
    const text = query.toString();
    history.pushState(null, "", `${location.pathname}${text ? `?${text}` : ""}`);
    list.reload();
  });
  window.addEventListener("popstate", () => {
    period.value = String(currentHours());
  });
}
