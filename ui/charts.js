// Small bar charts drawn as SVG, coloured from the stylesheet (the CSP
// allows no inline styles), each with a title per bar and the same figures
// in a table for screen readers and for anyone who wants the numbers.
import { el } from "./forms.js";

const SVG = "http://www.w3.org/2000/svg";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

// "Apr" for "2026-04"; January and the first month carry the year.
export function monthLabel(key, first) {
  const [y, m] = key.split("-").map(Number);
  const name = MONTHS[m - 1];
  return first || m === 1 ? `${name} ${String(y).slice(2)}` : name;
}

// The smallest of 1, 2, 4, 6 or 8 × 10^k at or above `value`, so the axis
// reads in round quarter steps.
export function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 4, 6, 8, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

// series: [{ name, className, values: [number] }]; format(value) → text.
export function barChart({ title, months, series, format, max }) {
  const width = 560;
  const height = 210;
  const left = 64;
  const bottom = 28;
  const top = 12;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const top_value = max || niceMax(Math.max(...series.flatMap((s) => s.values), 1));
  const slot = plotW / months.length;
  const barW = Math.max(4, (slot * 0.7) / series.length);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title });
  for (let i = 0; i <= 4; i += 1) {
    const y = top + plotH - (plotH * i) / 4;
    chart.append(svg("line", { x1: left, x2: width - 8, y1: y, y2: y, class: "grid-line" }));
    const label = svg("text", { x: left - 6, y: y + 4, class: "axis-label", "text-anchor": "end" });
    label.textContent = format((top_value * i) / 4, true);
    chart.append(label);
  }
  months.forEach((key, m) => {
    series.forEach((s, k) => {
      const value = s.values[m] || 0;
      const h = (plotH * value) / top_value;
      const x = left + slot * m + (slot - barW * series.length) / 2 + barW * k;
      const bar = svg("rect", { x, y: top + plotH - h, width: barW, height: Math.max(h, 0), class: `bar ${s.className}` });
      const tip = svg("title");
      tip.textContent = `${monthLabel(key, true)} · ${s.name}: ${format(value)}`;
      bar.append(tip);
      chart.append(bar);
    });
    const label = svg("text", { x: left + slot * m + slot / 2, y: height - 8, class: "axis-label", "text-anchor": "middle" });
    label.textContent = monthLabel(key, m === 0);
    chart.append(label);
  });
  const legend = el(
    "div",
    { class: "chart-legend" },
    ...series.map((s) => el("span", { class: "legend-item" }, el("span", { class: `swatch ${s.className}` }), s.name)),
  );
  const figures = el(
    "details",
    { class: "chart-figures" },
    el("summary", { text: "Figures" }),
    el(
      "table",
      { class: "table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Month" }), ...series.map((s) => el("th", { scope: "col", text: s.name })))),
      el(
        "tbody",
        {},
        ...months.map((key, m) => el("tr", {}, el("td", { text: monthLabel(key, true) }), ...series.map((s) => el("td", { text: format(s.values[m] || 0) })))),
      ),
    ),
  );
  return el("figure", { class: "chart-card" }, el("figcaption", { text: title }), chart, legend, figures);
}
