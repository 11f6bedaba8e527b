// The console's charts: small line and bar charts drawn as SVG, with their axes and labels. Each chart is a
// <figure> whose SVG carries its name (<title>) and a one-line summary (<desc>) for screen readers, every point or
// bar its value (a tooltip), and beside it the same numbers as a table for whoever prefers to read them.
import { h } from './dom.js';
import { t } from './i18n.js';

const svgNS = 'http://www.w3.org/2000/svg';
const size = { width: 560, height: 220, left: 52, right: 12, top: 14, bottom: 40 };
let charts = 0;

function s(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// The smallest round number (1, 2, 2.5 or 5 times a power of ten) at or above `value`: the top of the value axis.
export function niceMaximum(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * power).find((top) => top >= value);
}

// A line chart of `series` ([{name, values}]) over `labels` (the x axis, in order).
export function lineChart(options) {
  return chart(options, (plot, x, y, step) => options.series.map((item, index) => {
    const points = item.values.map((value, at) => [x(at) + step / 2, y(value ?? 0), value, at]);
    return s('g', { class: `series series-${index}` },
      s('polyline', { points: points.map(([px, py]) => `${px},${py}`).join(' '), fill: 'none' }),
      points.map(([px, py, value, at]) => s('circle', { cx: px, cy: py, r: 3 },
        s('title', {}, `${options.labels[at]}: ${item.name} ${options.format(value ?? 0)}`))));
  }));
}

// A bar chart: for each label, one bar per series side by side.
export function barChart(options) {
  return chart(options, (plot, x, y, step) => {
    const count = options.series.length;
    const width = Math.min(48, Math.max(2, (step * 0.8) / count));
    const offset = (step - width * count) / 2;
    return options.series.map((item, index) => s('g', { class: `series series-${index}` },
      item.values.map((value, at) => {
        const top = y(value ?? 0);
        return s('rect', { x: x(at) + offset + index * width, y: top, width: width - 1,
          height: Math.max(0, plot.bottom - top) },
        s('title', {}, `${options.labels[at]}: ${item.name} ${options.format(value ?? 0)}`));
      })));
  });
}

// The frame both kinds share: value axis with gridlines, label axis (every label while they fit, else evenly
// thinned), the legend when there are several series, and the table of the same numbers.
function chart({ id, title, labels, series, format = String }, draw) {
  const name = id || `chart-${++charts}`;
  const plot = { left: size.left, right: size.width - size.right, top: size.top, bottom: size.height - size.bottom };
  const values = series.flatMap((item) => item.values.map((value) => value ?? 0));
  const highest = Math.max(0, ...values);
  // Counts get whole-number ticks: the top is then a multiple of 4 (0, 1, 2, 3, 4 rather than 0, 1.25, 2.5 …).
  let top = niceMaximum(highest);
  if (values.every(Number.isInteger) && !Number.isInteger(top / 4)) top = Math.max(4, Math.ceil(highest / 4) * 4);
  const step = (plot.right - plot.left) / Math.max(1, labels.length);
  const x = (at) => plot.left + at * step;
  const y = (value) => plot.bottom - (value / top) * (plot.bottom - plot.top);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * top);
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const summary = series.map((item) => t('chart_summary', {
    series: item.name, count: labels.length,
    highest: format(Math.max(0, ...item.values.map((value) => value ?? 0))),
  })).join(' ');
  const svg = s('svg', { viewBox: `0 0 ${size.width} ${size.height}`, role: 'img',
    'aria-labelledby': `${name}-title ${name}-desc`, class: 'chart-drawing' },
  s('title', { id: `${name}-title` }, title),
  s('desc', { id: `${name}-desc` }, labels.length ? summary : t('chart_empty')),
  s('g', { class: 'grid' }, ticks.map((value) => s('g', {},
    s('line', { x1: plot.left, x2: plot.right, y1: y(value), y2: y(value) }),
    s('text', { x: plot.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, format(value))))),
  s('g', { class: 'axis' },
    s('line', { x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom }),
    s('line', { x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }),
    labels.map((label, at) => (at % every === 0
      ? s('text', { x: x(at) + step / 2, y: plot.bottom + 16, 'text-anchor': 'middle' }, shorten(label)) : null))),
  labels.length ? draw(plot, x, y, step) : s('text', { x: size.width / 2, y: size.height / 2, 'text-anchor': 'middle',
    class: 'empty' }, t('chart_empty')));
  return h('figure', { class: 'chart', id: name },
    h('figcaption', {}, title),
    series.length > 1 ? h('ul', { class: 'legend' }, series.map((item, index) =>
      h('li', { class: `series-${index}` }, item.name))) : null,
    svg,
    h('details', {}, h('summary', {}, t('chart_as_table')), dataTable(labels, series, format)));
}

function dataTable(labels, series, format) {
  return h('table', { class: 'chart-data' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('chart_label')),
      series.map((item) => h('th', { scope: 'col' }, item.name)))),
    h('tbody', {}, labels.map((label, at) => h('tr', {}, h('th', { scope: 'row' }, label),
      series.map((item) => h('td', {}, format(item.values[at] ?? 0)))))));
}

function shorten(label) {
  const text = String(label);
  return text.length > 12 ? `${text.slice(0, 11)}…` : text;
}
