// Our own small SVG charts: the week-by-week meeting grid and a monthly bar chart.
// Every chart is role="img" with a title and a description, and every mark carries a symbol
// or a number as well as its colour; the screens put the same figures in a table beside it.

import { dateLabel, monthLabel, statusInfo } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";
let chartCounter = 0;

// Also used by the sign-in security screen for its QR code.
export function svgElement(tag, attributes = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function frame(width, height, title, description, className) {
  chartCounter += 1;
  const titleId = `chart-${chartCounter}-title`;
  const descId = `chart-${chartCounter}-desc`;
  return svgElement("svg", {
    xmlns: SVG, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", class: `chart ${className}`,
    "aria-labelledby": titleId, "aria-describedby": descId, preserveAspectRatio: "xMinYMin meet",
  }, svgElement("title", { id: titleId }, title), svgElement("desc", { id: descId }, description));
}

const CELL = 26;
const GAP = 4;
const ROW_LABEL = 18;

// weeks: [{week_of, status, text, term}]; one row per term, wrapped every `perRow` weeks.
export function weekGrid(weeks, title, perRow = 22) {
  const rows = [];
  let number = 0;
  for (const week of weeks) {
    number += 1;
    const last = rows[rows.length - 1];
    if (!last || last.term !== week.term || last.weeks.length >= perRow) {
      rows.push({ term: week.term, weeks: [], first: number, continued: Boolean(last && last.term === week.term) });
    }
    rows[rows.length - 1].weeks.push(week);
  }
  const columns = Math.min(perRow, Math.max(1, ...rows.map((row) => row.weeks.length)));
  const width = columns * (CELL + GAP);
  const height = rows.length * (CELL + GAP + ROW_LABEL);
  const counts = {};
  for (const week of weeks) counts[week.status] = (counts[week.status] || 0) + 1;
  const description = `${weeks.length} school weeks: ` + Object.entries(counts)
    .map(([status, count]) => `${count} ${statusInfo(status).label.toLowerCase()}`).join(", ") + ".";
  const svg = frame(width, height, title, description, "week-grid");
  rows.forEach((row, rowIndex) => {
    const y = rowIndex * (CELL + GAP + ROW_LABEL) + ROW_LABEL;
    const label = `${row.term || "Weeks"}${row.continued ? " (continued)" : ""} · week ${row.first} from ${dateLabel(row.weeks[0].week_of)}`;
    svg.append(svgElement("text", { x: 0, y: y - 5, class: "axis-label" }, label));
    row.weeks.forEach((week, column) => {
      const x = column * (CELL + GAP);
      const { tone, symbol, label: word } = statusInfo(week.status);
      svg.append(svgElement("g", { class: `cell tone-${tone}` },
        svgElement("title", {}, `Week of ${dateLabel(week.week_of)}: ${word}. ${week.text || ""}`),
        svgElement("rect", { x: x + 1, y, width: CELL - 2, height: CELL, rx: 4 }),
        svgElement("text", { x: x + CELL / 2, y: y + CELL / 2 + 5, "text-anchor": "middle", class: "cell-symbol" }, symbol)));
    });
  });
  return svg;
}

// The legend is HTML so it reads as text: a swatch with the symbol, then the word.
export function legend(statuses, h) {
  return h("ul", { class: "legend", "aria-label": "Legend" }, statuses.map((status) => {
    const { tone, symbol, label } = statusInfo(status);
    return h("li", {}, h("span", { class: `swatch tone-${tone}`, "aria-hidden": "true" }, symbol), label);
  }));
}

// What both bar charts draw: an axis, and per key a bar scaled to the largest value, with its
// title, its value written above it (a 0 only when `zeros`) and its axis label (`axisLabel(key, x, y)`,
// an SVG text or null). `describe(total, max)` writes the chart's description.
function bars(keys, values, { title, className, barWidth, gap, plot, minBars = 0, zeros, describe, barTitle, axisLabel }) {
  const top = 18;
  const bottom = 18;
  const width = Math.max(minBars, keys.length) * (barWidth + gap);
  const height = top + plot + bottom;
  const count = (key) => Number(values[key]) || 0;
  const max = Math.max(1, ...keys.map(count));
  const total = keys.reduce((sum, key) => sum + count(key), 0);
  const svg = frame(width, height, title, describe(total, max), className);
  svg.append(svgElement("line", { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: "axis" }));
  keys.forEach((key, index) => {
    const value = count(key);
    const barHeight = Math.round((value / max) * plot);
    const x = index * (barWidth + gap) + gap / 2;
    const y = top + plot - barHeight;
    svg.append(svgElement("g", { class: "bar" },
      svgElement("title", {}, barTitle(key, value)),
      svgElement("rect", { x, y, width: barWidth, height: Math.max(barHeight, value ? 1 : 0) }),
      value || zeros ? svgElement("text", { x: x + barWidth / 2, y: y - 4, "text-anchor": "middle", class: "bar-value" }, String(value)) : null,
      axisLabel(key, x, top + plot + 14)));
  });
  return svg;
}

// A bar per month with its value written above it. values: {"2026-09": 5, ...}
export function barChart(months, values, title, unit) {
  const barWidth = 24;
  return bars(months, values, {
    title, className: "bar-chart", barWidth, gap: 8, plot: 110, zeros: true,
    describe: (total, max) => {
      const busiest = months.filter((month) => (Number(values[month]) || 0) === max && max > 0).map((m) => monthLabel(m, true));
      return `${total} ${unit} in the year` + (busiest.length ? `; most in ${busiest.join(", ")} (${max}).` : ".");
    },
    barTitle: (month, value) => `${monthLabel(month, true)}: ${value} ${unit}`,
    axisLabel: (month, x, y) => svgElement("text", { x: x + barWidth / 2, y, "text-anchor": "middle", class: "axis-label" },
      monthLabel(month).charAt(0) + monthLabel(month).slice(1, 3)),
  });
}

// A bar per week (its Monday) with the value written above it, for counts that matter week by
// week (threats). values: {"2026-09-07": 2, ...}; weeks with no entry are drawn as 0.
// Axis labels name the first week of each month so a long run of weeks stays readable at 360 px.
export function weekBarChart(mondays, values, title, unit) {
  const count = (monday) => Number(values[monday]) || 0;
  let month = "";
  return bars(mondays, values, {
    title, className: "bar-chart week-bars", barWidth: 14, gap: 4, plot: 80, minBars: 1, zeros: false,
    describe: (total, max) => {
      const weeksWith = mondays.filter((monday) => count(monday) > 0).length;
      const busiest = mondays.filter((monday) => count(monday) === max && max > 0).map((monday) => `week of ${dateLabel(monday)}`);
      return `${total} ${unit} in ${weeksWith} of ${mondays.length} weeks`
        + (busiest.length ? `; most in the ${busiest.join(", ")} (${max}).` : ".");
    },
    barTitle: (monday, value) => `Week of ${dateLabel(monday)}: ${value} ${unit}`,
    axisLabel: (monday, x, y) => {
      const label = monday.slice(0, 7) !== month ? monthLabel(monday.slice(0, 7)).slice(0, 3) : null;
      month = monday.slice(0, 7);
      return label ? svgElement("text", { x, y, class: "axis-label" }, label) : null;
    },
  });
}
