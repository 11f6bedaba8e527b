// Analytics (`analytics.read`): the support desk's figures for a period — the last 7 or 30 days or the dates the
// user picks (local dates of the reader) — grouped by a time grain or by one dimension, each figure with its chart,
// its table and its CSV download with the same parameters. A user limited to some outlets sees the figures of those
// outlets only: the API counts nothing else, and the page says so.
import { api, query } from './api.js';
import { h, fill, ready, announce } from './dom.js';
import { t } from './i18n.js';
import { checkedField, clearProblems, showProblems } from './problems.js';
import { figures } from './analytics-figures.js';

const grains = ['day', 'week', 'month'];
const dimensions = ['category', 'queue', 'agent', 'outlet', 'channel', 'kind', 'keyword'];
const periods = ['7', '30', 'custom'];

// The reader's calendar date `days` ago, as `YYYY-MM-DD`.
function localDate(daysAgo) {
  const date = new Date();
  date.setDate(date.getDate() - daysAgo);
  const pad = (value) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// The range and grouping the address asks for; a named period ends today.
function stateFrom(search) {
  const period = periods.includes(search.get('period')) ? search.get('period') : '30';
  const groupBy = [...grains, ...dimensions].includes(search.get('group_by')) ? search.get('group_by') : 'day';
  if (period === 'custom') {
    return { period, from: search.get('from') || localDate(29), to: search.get('to') || localDate(0), group_by: groupBy };
  }
  return { period, from: localDate(Number(period) - 1), to: localDate(0), group_by: groupBy };
}

// The parameters one figure takes: its own grouping only (figures without the chosen dimension are by day).
export function parametersOf(figure, state) {
  const parameters = { from: state.from, to: state.to };
  if (figure.grains === false) return parameters;
  if (grains.includes(state.group_by)) parameters.group_by = state.group_by;
  else if (figure.dimensions.includes(state.group_by)) parameters.group_by = state.group_by;
  return parameters;
}

export function render(main, { session, navigate }) {
  const state = stateFrom(new URLSearchParams(location.search));
  const period = h('select', { onchange: () => {
    const custom = period.value === 'custom';
    from.disabled = !custom;
    to.disabled = !custom;
    if (!custom) { from.value = localDate(Number(period.value) - 1); to.value = localDate(0); }
  } }, periods.map((value) => h('option', { value, selected: state.period === value }, t(`period_${value}`))));
  const from = h('input', { type: 'date', value: state.from, disabled: state.period !== 'custom', required: true });
  const to = h('input', { type: 'date', value: state.to, disabled: state.period !== 'custom', required: true });
  const groupBy = h('select', {},
    h('optgroup', { label: t('group_time') }, grains.map((value) =>
      h('option', { value, selected: state.group_by === value }, t(`grain_${value}`)))),
    h('optgroup', { label: t('group_dimension') }, dimensions.map((value) =>
      h('option', { value, selected: state.group_by === value }, t(`dimension_${value}`)))));
  const form = h('form', { class: 'filters', id: 'analytics-filters', onsubmit: (event) => {
    event.preventDefault();
    const custom = period.value === 'custom';
    navigate(`/console/analytics${query({ period: period.value, from: custom ? from.value : '',
      to: custom ? to.value : '', group_by: groupBy.value })}`);
  } },
  checkedField('analytics-period', t('period'), period, 'period'),
  checkedField('analytics-from', t('from_date'), from, 'from'),
  checkedField('analytics-to', t('to_date'), to, 'to'),
  checkedField('analytics-group-by', t('group_by'), groupBy, 'group_by'),
  h('button', { type: 'submit', class: 'primary' }, t('apply_filters')));
  const scope = session.scope?.length
    ? t('analytics_scoped', { outlets: session.scope.join(', ') }) : t('analytics_all_outlets');
  const zone = h('span', { id: 'analytics-zone' });
  const alert = h('p', { class: 'error', role: 'alert', id: 'analytics-error' });
  const view = { grain: grains.includes(state.group_by) ? state.group_by : null,
    dimension: dimensions.includes(state.group_by) ? state.group_by : null };

  const sections = figures.map((figure) => {
    const parameters = parametersOf(figure, state);
    const body = h('div', { class: 'figure-body' }, h('p', { class: 'loading' }, t('loading')));
    const section = h('section',
      { class: 'card figure', id: `figure-${figure.name}`, 'aria-labelledby': `heading-${figure.name}` },
      h('div', { class: 'figure-head' }, h('h2', { id: `heading-${figure.name}` }, t(figure.title)),
        h('a', { class: 'csv', href: `/v1/analytics/${figure.name}.csv${query(parameters)}`, download: '',
          dataset: { csv: figure.name } }, t('download_csv'))),
      body);
    return { figure, parameters, body, section };
  });

  fill(main, h('h1', {}, t('analytics_title')), form,
    h('p', { class: 'notice', id: 'analytics-scope' }, scope, ' ', zone), alert,
    h('div', { class: 'figure-grid' }, sections.map((item) => item.section)));

  let problemShown = false;
  function failed(item, error) {
    fill(item.body, h('p', { class: 'error' }, t('error', { detail: error.message })));
    if (problemShown) return;
    problemShown = true;
    fill(alert, showProblems(form, error));
  }

  clearProblems(form);
  Promise.all(sections.map((item) =>
    api('GET', `/v1/analytics/${item.figure.name}${query(item.parameters)}`).then(({ data }) => {
      fill(zone, t('analytics_days_in', { zone: data.time_zone }));
      // A figure the chosen dimension does not apply to is shown over the whole range.
      const dimension = item.figure.dimensions.includes(view.dimension) ? view.dimension : null;
      fill(item.body, item.figure.draw(data, { grain: view.grain, dimension }));
    }).catch((error) => failed(item, error)))).then(() => {
    if (problemShown) announce(alert.textContent);
    ready();
  });
}
