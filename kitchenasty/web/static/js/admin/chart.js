// Charts for the back office: uPlot (vendored in /static/vendor/uplot, MIT) drawing on a canvas, with the numbers
// also given as text (the chart's accessible name sums it up; a table beside it holds every value).
//
// uPlot positions its parts through element.style (CSSOM), which the pages' CSP (style-src 'self') allows; its
// stylesheet is a file of ours, linked once.

import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { el } from "../common.js";

const STYLESHEET = "/static/vendor/uplot/uPlot.min.css";

function linkStylesheet() {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return;
  document.head.append(el("link", { rel: "stylesheet", href: STYLESHEET }));
}

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * A bar chart of one series over labelled slots (e.g. revenue for each hour of the day).
 * @param {HTMLElement} root - where the chart goes (it takes the root's width)
 * @param {{labels: string[], values: number[], label: string, summary: string, format: (v: number) => string,
 *   height?: number}} options - `label` names the series ("Revenue"); `summary` is the chart's accessible name
 *   ("Revenue by hour today: most at 12:00 (…)"); `format` writes a value (money)
 * @returns {{update: (values: number[], summary: string) => void, destroy: () => void, element: HTMLElement}}
 */
export function barChart(root, options) {
  linkStylesheet();
  const height = options.height || 240;
  const holder = el("div", { class: "admin-chart", role: "img", "aria-label": options.summary });
  root.append(holder);
  const xs = options.labels.map((_, index) => index);
  const brand = cssVar("--brand", "#b4400b");
  const muted = cssVar("--muted", "#565b66");
  const line = cssVar("--line", "#d9d6d0");
  const axis = {
    stroke: muted,
    grid: { stroke: line, width: 1 },
    ticks: { stroke: line, width: 1 },
    font: "12px system-ui, sans-serif",
  };
  const plot = new uPlot(
    {
      width: Math.max(280, holder.clientWidth || root.clientWidth || 600),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((t) => options.labels[t] ?? ""), incrs: [1, 2, 3, 4, 6, 12], space: 48 },
        { ...axis, values: (_u, ticks) => ticks.map((t) => options.format(t)), size: 70 },
      ],
      series: [
        {},
        {
          label: options.label,
          stroke: brand,
          fill: brand,
          width: 0,
          paths: uPlot.paths.bars({ size: [0.7, 60] }),
          points: { show: false },
        },
      ],
    },
    [xs, options.values],
    holder,
  );
  const resize = new ResizeObserver(() => {
    const width = Math.max(280, holder.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height });
  });
  resize.observe(holder);
  return {
    element: holder,
    update(values, summary) {
      plot.setData([xs, values]);
      holder.setAttribute("aria-label", summary);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
      holder.remove();
    },
  };
}
