// The analytics dashboard's figures: for each of the API's figures, what it can be grouped by, its headline
// numbers, its chart and its table. Grouped by time the charts run over every period of the range (periods without
// tickets count 0); grouped by a dimension they compare its top values.
import { h } from './dom.js';
import { t, language } from './i18n.js';
import { lineChart, barChart } from './chart.js';

const ticketDimensions = ['category', 'queue', 'agent', 'outlet', 'channel', 'kind', 'keyword'];
const ages = ['under_1h', '1h_to_4h', '4h_to_24h', '1d_to_3d', 'over_3d'];
const topValues = 10;

function locale() { return language() === 'ms' ? 'ms-MY' : 'en-GB'; }
export function count(value) {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat(locale()).format(value);
}
export function rate(value) { return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`; }
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
const average = (value) => (value === null || value === undefined ? '—' : Number(value).toFixed(2));

// A local date `YYYY-MM-DD` as the reader's calendar writes it; `grain` says whether it names a week or a month.
export function periodLabel(period, grain) {
  const [year, month, day] = period.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const format = (options) => new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', ...options }).format(date);
  if (grain === 'month') return format({ month: 'short', year: 'numeric' });
  if (grain === 'week') return t('week_of', { day: format({ day: 'numeric', month: 'short' }) });
  return format({ day: 'numeric', month: 'short' });
}

// Every period of [from, to] under `grain`, named by its first day as the API names them (weeks start on Monday).
export function periods(from, to, grain) {
  const parse = (text) => { const [y, m, d] = text.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d)); };
  const name = (date) => date.toISOString().slice(0, 10);
  const start = parse(from);
  if (grain === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (grain === 'month') start.setUTCDate(1);
  const names = [];
  for (const at = start; at <= parse(to) && names.length < 400; ) {
    names.push(name(at));
    if (grain === 'month') at.setUTCMonth(at.getUTCMonth() + 1);
    else at.setUTCDate(at.getUTCDate() + (grain === 'week' ? 7 : 1));
  }
  return names;
}

// The rows of an answer as labels and per-label rows: by period (every one in the range) or by dimension value.
function grouped(answer, view) {
  if (view.dimension) {
    const rows = answer.rows.slice(0, topValues);
    return { labels: rows.map((row) => row[view.dimension] ?? t('no_value')), rows };
  }
  if (!view.grain) return { labels: [t('whole_range')], rows: [answer.totals || answer.rows[0] || {}] };
  const byPeriod = new Map(answer.rows.map((row) => [row.period, row]));
  const names = periods(answer.from, answer.to, view.grain);
  return { labels: names.map((name) => periodLabel(name, view.grain)), rows: names.map((name) => byPeriod.get(name)) };
}

function headline(items) {
  return h('dl', { class: 'figures' }, items.map(([label, value]) =>
    h('div', {}, h('dt', {}, t(label)), h('dd', {}, value))));
}

function table(name, labels, rows, columns) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'figure-table', dataset: { figure: name } },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('group')),
      columns.map(([label]) => h('th', { scope: 'col' }, t(label))))),
    h('tbody', {}, labels.map((label, index) => h('tr', {}, h('th', { scope: 'row' }, label),
      columns.map(([, value]) => h('td', {}, value(rows[index] || {}))))))));
}

// One chart of `pick` per series over the grouped rows: a line over time, bars by dimension value.
function plot(name, title, view, data, series, format) {
  const draw = view.dimension || !view.grain ? barChart : lineChart;
  return draw({ id: `chart-${name}`, title, labels: data.labels, format,
    series: series.map(([label, pick]) => ({ name: t(label), values: data.rows.map((row) => (row ? pick(row) : 0)) })) });
}

export const figures = [
  { name: 'tickets', title: 'figure_tickets', dimensions: ticketDimensions,
    draw(answer, view) {
      const data = grouped(answer, view);
      return [headline([['opened', count(answer.totals.opened)], ['tickets_reopened', count(answer.totals.reopened)],
        ['reopen_rate', rate(answer.totals.reopen_rate)]]),
      plot('tickets', t('chart_tickets_opened'), view, data, [['opened', (row) => row.opened ?? 0]], count),
      table('tickets', data.labels, data.rows, [['opened', (row) => count(row.opened ?? 0)],
        ['tickets_reopened', (row) => count(row.reopened ?? 0)], ['reopen_rate', (row) => rate(row.reopen_rate)]])];
    } },
  { name: 'response-times', title: 'figure_response_times', dimensions: ticketDimensions,
    draw(answer, view) {
      const data = grouped(answer, view);
      const { frt, art } = answer.totals;
      return [headline([['frt_median', duration(frt.median_seconds)], ['frt_p90', duration(frt.p90_seconds)],
        ['frt_within_sla', rate(frt.within_sla_rate)], ['art_median', duration(art.median_seconds)],
        ['art_within_sla', rate(art.within_sla_rate)]]),
      plot('response-times', t('chart_response_times'), view, data,
        [['frt_median', (row) => row.frt?.median_seconds ?? 0], ['art_median', (row) => row.art?.median_seconds ?? 0]],
        duration),
      table('response-times', data.labels, data.rows, [['frt_median', (row) => duration(row.frt?.median_seconds)],
        ['frt_p90', (row) => duration(row.frt?.p90_seconds)], ['frt_within_sla', (row) => rate(row.frt?.within_sla_rate)],
        ['art_median', (row) => duration(row.art?.median_seconds)], ['art_p90', (row) => duration(row.art?.p90_seconds)],
        ['art_within_sla', (row) => rate(row.art?.within_sla_rate)]])];
    } },
  { name: 'backlog', title: 'figure_backlog', dimensions: [],
    draw(answer, view) {
      const now = answer.now.ages;
      const data = grouped(answer, view.grain ? view : { grain: 'day' });
      return [headline([['backlog_now', count(now.total)]]),
        barChart({ id: 'chart-backlog', title: t('chart_backlog_now'), format: count,
          labels: ages.map((age) => t(`age_${age}`)), series: [{ name: t('backlog_now'), values: ages.map((age) => now[age]) }] }),
        table('backlog', data.labels, data.rows, [...ages.map((age) => [`age_${age}`, (row) => count(row.ages?.[age] ?? 0)]),
          ['total', (row) => count(row.ages?.total ?? 0)]])];
    } },
  { name: 'csat', title: 'figure_csat', dimensions: ['category', 'queue', 'agent', 'outlet', 'channel'],
    draw(answer, view) {
      const data = grouped(answer, view);
      const totals = answer.totals;
      return [headline([['surveys', count(totals.surveys)], ['responses', count(totals.responses)],
        ['response_rate', rate(totals.response_rate)], ['csat_average', average(totals.average)]]),
      barChart({ id: 'chart-csat', title: t('chart_csat_distribution'), format: count, labels: ['1', '2', '3', '4', '5'],
        series: [{ name: t('responses'), values: [1, 2, 3, 4, 5].map((score) => totals.distribution?.[score] ?? 0) }] }),
      table('csat', data.labels, data.rows, [['surveys', (row) => count(row.surveys ?? 0)],
        ['responses', (row) => count(row.responses ?? 0)], ['response_rate', (row) => rate(row.response_rate)],
        ['csat_average', (row) => average(row.average)]])];
    } },
  { name: 'outlets', title: 'figure_outlets', dimensions: [], grains: false,
    draw(answer) {
      const rows = answer.rows.slice(0, topValues);
      const labels = rows.map((row) => row.outlet);
      return [headline([['high_touch_outlets', count(answer.high_touch_outlets)]]),
        h('p', { class: 'meta' }, t('high_touch_rule', { tickets: answer.high_touch_tickets })),
        barChart({ id: 'chart-outlets', title: t('chart_outlets'), format: count, labels,
          series: [{ name: t('opened'), values: rows.map((row) => row.tickets) }] }),
        table('outlets', labels, rows, [['opened', (row) => count(row.tickets)],
          ['high_touch', (row) => (row.high_touch ? t('yes') : t('no'))],
          ['by_month', (row) => (row.months || [])
            .map((month) => `${periodLabel(month.month, 'month')}: ${month.tickets}`).join(', ')]])];
    } },
  { name: 'renewals', title: 'figure_renewals', dimensions: [],
    draw(answer, view) {
      const data = grouped(answer, view);
      const totals = answer.totals;
      return [headline([['renewals_due_figure', count(totals.due)], ['renewals_failed', count(totals.failed)],
        ['renewals_recovered', count(totals.recovered)], ['recovery_rate', rate(totals.recovery_rate)],
        ['winback_rate', rate(totals.winback_rate)]]),
      plot('renewals', t('chart_renewals'), view, data, [['renewals_due_figure', (row) => row.due ?? 0],
        ['renewals_failed', (row) => row.failed ?? 0], ['renewals_recovered', (row) => row.recovered ?? 0]], count),
      table('renewals', data.labels, data.rows, [['renewals_due_figure', (row) => count(row.due ?? 0)],
        ['renewals_reminded', (row) => count(row.reminded ?? 0)], ['renewals_failed', (row) => count(row.failed ?? 0)],
        ['renewals_recovered', (row) => count(row.recovered ?? 0)], ['renewals_won_back', (row) => count(row.won_back ?? 0)],
        ['recovery_rate', (row) => rate(row.recovery_rate)]])];
    } },
  { name: 'leads', title: 'figure_leads', dimensions: [],
    draw(answer, view) {
      const data = grouped(answer, view);
      const sources = Object.entries(answer.totals.by_source || {}).sort((a, b) => b[1] - a[1]);
      return [headline([['leads', count(answer.totals.leads)], ['onboarding_booked', count(answer.totals.onboarding_booked)],
        ['conversion_rate', rate(answer.totals.conversion_rate)]]),
      barChart({ id: 'chart-leads', title: t('chart_lead_sources'), format: count, labels: sources.map(([name]) => name),
        series: [{ name: t('leads'), values: sources.map(([, value]) => value) }] }),
      table('leads', data.labels, data.rows, [['leads', (row) => count(row.leads ?? 0)],
        ['onboarding_booked', (row) => count(row.onboarding_booked ?? 0)],
        ['conversion_rate', (row) => rate(row.conversion_rate)]])];
    } },
];
