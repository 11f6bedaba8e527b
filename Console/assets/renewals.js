// Renewals (renewal staff and admins): the cycles by due date — filter by status, outlet and due date — with each
// reminder attempt and its result, and the recovery summary of the last 30 days.
import { api, query } from './api.js';
import { h, fill, field, ready } from './dom.js';
import { t, when } from './i18n.js';

const statuses = ['open', 'renewed', 'lapsed', 'stopped', 'opted_out', 'customer_replied'];

export function render(main, { navigate }) {
  const search = new URLSearchParams(location.search);
  const state = { status: search.get('status') || '', oid: search.get('oid') || '',
    due_before: search.get('due_before') || '', cursor: search.get('cursor') || '' };
  const rows = h('tbody');
  const summary = h('p', { id: 'renewal-summary', class: 'notice' });
  const pager = h('div', { class: 'pager' });
  const status = h('select', {}, h('option', { value: '' }, t('any')),
    statuses.map((value) => h('option', { value, selected: state.status === value }, t(`renewal_${value}`))));
  const oid = h('input', { type: 'text', value: state.oid, size: 10 });
  const dueBefore = h('input', { type: 'date', value: state.due_before });
  const go = (change) => navigate(`/console/renewals${query({ ...state, ...change }) || ''}`);

  fill(main, h('h1', {}, t('renewals_title')), summary,
    h('form', { class: 'filters', onsubmit: (event) => {
      event.preventDefault();
      go({ status: status.value, oid: oid.value.trim(), due_before: dueBefore.value, cursor: '' });
    } },
    field('renewal-status', t('status'), status), field('renewal-outlet', t('outlet'), oid),
    field('renewal-due-before', t('due_before'), dueBefore), h('button', { type: 'submit' }, t('apply_filters'))),
    h('div', { class: 'table-wrap' }, h('table', { id: 'renewals' },
      h('thead', {}, h('tr', {}, [t('due_date'), t('outlet'), t('status'), t('reminders'), t('updated')]
        .map((label) => h('th', { scope: 'col' }, label)))), rows)),
    pager);

  Promise.all([
    api('GET', `/v1/renewals${query({ ...state, limit: 50 })}`),
    api('GET', '/v1/renewals/summary'),
  ]).then(([{ data: page }, { data: figures }]) => {
    fill(rows, page.items.length ? page.items.map((renewal) => h('tr', { dataset: { renewal: renewal.id } },
      h('td', {}, renewal.due_date), h('td', {}, `${renewal.fid || ''}/${renewal.oid}`),
      h('td', {}, t(`renewal_${renewal.status}`)),
      h('td', {}, (renewal.attempts || []).map((attempt) =>
        h('div', {}, `D${attempt.offset_days >= 0 ? '+' : ''}${attempt.offset_days}: ${attempt.result}`))),
      h('td', {}, when(renewal.updated_at)))) : h('tr', {}, h('td', { colspan: 5 }, t('no_renewals'))));
    fill(summary, t('renewals_due', { count: figures.renewals ?? 0 }), ' · ', t('recovery', {
      recovered: figures.recovered ?? 0, failed: figures.failed_renewals ?? 0,
      rate: figures.recovery_rate === null || figures.recovery_rate === undefined ? '—'
        : `${Math.round(figures.recovery_rate * 100)}%`,
    }));
    fill(pager, page.next_cursor ? h('button', { type: 'button', id: 'older',
      onclick: () => go({ cursor: String(page.next_cursor) }) }, t('older_entries')) : null);
    ready();
  }, (error) => {
    fill(rows, h('tr', {}, h('td', { colspan: 5, role: 'alert' }, t('error', { detail: error.message }))));
    ready();
  });
}
