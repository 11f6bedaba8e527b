// The inbox: one queue at a time (support, sales, renewals, or tickets whose outlet is not known yet), filtered by
// status, SLA state, assignee (or none yet), outlet, category and language, 50 tickets a page from the newest (the API pages by cursor, so 10,000 open
// tickets cost the browser no more than 50), with SLA badges and who is handling each one, updated live; ticked
// tickets are assigned in bulk.
import { api, query } from './api.js';
import { h, fill, field, ready, announce } from './dom.js';
import { t, when, languages } from './i18n.js';
import { subscribe, inOrder } from './live.js';
import { slaBadge, claimBadge, statusLabel } from './badges.js';
import { bulkAssigner } from './bulk.js';

const queues = [['support', 'queue_support'], ['sales', 'queue_sales'], ['renewals', 'queue_renewals'],
  ['unlinked', 'queue_unlinked']];
const statuses = ['open', 'pending', 'resolved', 'closed'];
const slaStates = ['breached', 'due_soon', 'ok'];
const pageSize = 50;

export function render(main, { session, navigate }) {
  const search = new URLSearchParams(location.search);
  const state = {
    queue: search.get('queue') || 'support', status: search.get('status') ?? 'open',
    assignee: search.get('assignee') || '', oid: search.get('oid') || '', category: search.get('category') || '',
    sla: search.get('sla') || '', language: search.get('language') || '', unassigned: search.get('unassigned') || '',
    cursor: search.get('cursor') || '',
  };
  let shown = new Map();

  const list = h('tbody');
  const pager = h('div', { class: 'pager' });
  const tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': t('queue') }, queues.map(([name, label]) =>
    h('button', { type: 'button', 'aria-pressed': String(state.queue === name), dataset: { queue: name },
      onclick: () => go({ queue: name, cursor: '' }) }, t(label))));
  const status = h('select', {}, h('option', { value: '' }, t('any')),
    statuses.map((value) => h('option', { value, selected: state.status === value }, t(`status_${value}`))));
  const assignee = h('input', { type: 'text', value: state.assignee, list: 'assignee-choices', size: 18 });
  const oid = h('input', { type: 'text', value: state.oid, size: 10 });
  const category = h('input', { type: 'text', value: state.category, size: 12 });
  const sla = h('select', {}, h('option', { value: '' }, t('any')),
    slaStates.map((value) => h('option', { value, selected: state.sla === value }, t(`sla_state_${value}`))));
  const spoken = h('select', {}, h('option', { value: '' }, t('any')),
    languages.map(([value, label]) => h('option', { value, selected: state.language === value }, label)));
  const unassigned = h('input', { type: 'checkbox', id: 'filter-unassigned', checked: state.unassigned === 'true' });
  const bulk = bulkAssigner({ actor: session.actor, afterwards: () => refresh() });
  const filters = h('form', { class: 'filters', onsubmit: (event) => {
    event.preventDefault();
    go({ status: status.value, assignee: unassigned.checked ? '' : assignee.value.trim(), oid: oid.value.trim(),
      category: category.value.trim(), sla: sla.value, language: spoken.value,
      unassigned: unassigned.checked ? 'true' : '', cursor: '' });
  } },
  field('filter-status', t('status'), status),
  field('filter-assignee', t('assignee'), assignee),
  h('datalist', { id: 'assignee-choices' }, h('option', { value: session.actor }, t('mine'))),
  field('filter-outlet', t('outlet'), oid),
  field('filter-category', t('category'), category),
  field('filter-sla', t('sla_state'), sla),
  field('filter-language', t('ticket_language'), spoken),
  h('div', { class: 'field check' }, unassigned, h('label', { for: 'filter-unassigned' }, t('unassigned_only'))),
  h('button', { type: 'submit' }, t('apply_filters')));

  fill(main, h('h1', {}, t('inbox_title')), tabs, filters,
    h('p', { class: 'live', id: 'live' }, t('live')), bulk.form, bulk.results,
    h('div', { class: 'table-wrap' }, h('table', { 'aria-label': t('tickets_list') },
      h('thead', {}, h('tr', {}, bulk.header(), h('th', { scope: 'col' }, t('ticket')), h('th', { scope: 'col' }, t('customer')),
        h('th', { scope: 'col' }, t('status')), h('th', { scope: 'col' }, t('assignee')),
        h('th', { scope: 'col' }, t('sla')), h('th', { scope: 'col', class: 'hide-narrow' }, t('updated')))),
      list)),
    pager);

  function go(change) {
    const next = { ...state, ...change };
    const parameters = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== ''));
    if (next.status === '') parameters.status = '';
    navigate(`/console/inbox${query(parameters) || '?'}`);
  }

  function load() {
    const parameters = {
      status: state.status, assignee: state.assignee, oid: state.oid, category: state.category,
      sla: state.sla, language: state.language, unassigned: state.unassigned,
      limit: pageSize, cursor: state.cursor, channel: 'whatsapp',
    };
    if (state.queue === 'unlinked') parameters.outlet_status = 'unlinked';
    else parameters.queue = state.queue;
    return api('GET', `/v1/tickets${query(parameters)}`).then(({ data }) => data);
  }

  let shownKey = null;
  function draw(page, { highlight }) {
    // An unchanged page is left alone, so keyboard focus and the reader's place in the table stay where they are.
    const key = JSON.stringify([page.items.map((ticket) => [ticket.id, ticket.version]), page.next_cursor]);
    if (key === shownKey) return;
    shownKey = key;
    const focused = document.activeElement?.closest('tr[data-ticket]')?.dataset.ticket;
    const changed = [];
    const next = new Map(page.items.map((ticket) => [ticket.id, ticket.version]));
    fill(list, page.items.length ? page.items.map((ticket) => {
      const fresh = highlight && shown.get(ticket.id) !== ticket.version;
      if (fresh) changed.push(ticket.id);
      return row(ticket, fresh, bulk.cell(ticket));
    }) : h('tr', {}, h('td', { colspan: 7 }, t('no_tickets'))));
    bulk.showing(page.items);
    shown = next;
    if (focused) list.querySelector(`tr[data-ticket="${focused}"] a`)?.focus();
    fill(pager,
      state.cursor ? h('button', { type: 'button', onclick: () => go({ cursor: '' }) }, t('newer')) : null,
      page.next_cursor ? h('button', { type: 'button', id: 'older',
        onclick: () => go({ cursor: String(page.next_cursor) }) }, t('older')) : null);
    if (changed.length) announce(t('new_tickets', { count: changed.length }));
  }

  function failed(error) {
    fill(list, h('tr', {}, h('td', { colspan: 7, role: 'alert' }, t('error', { detail: error.message }))));
    ready();
  }

  // After a bulk assignment the page shows the result at once, not at the next live update.
  const view = inOrder(load, draw);
  function refresh() { shownKey = null; view.load().then((page) => view.draw(page, { highlight: false }), failed); }

  view.load().then((page) => { view.draw(page, { highlight: false }); ready(); }, failed);
  // Only the newest page follows changes: an older page would shift under the reader.
  return state.cursor ? null : subscribe(view.load, (page) => view.draw(page, { highlight: true }));
}

function row(ticket, fresh, select) {
  const name = ticket.contact_name || ticket.name || ticket.contact_id || '';
  return h('tr', { class: fresh ? 'fresh' : null, dataset: { ticket: ticket.id } }, select,
    h('td', {}, h('a', { href: `/console/tickets/${ticket.id}` }, `T-${ticket.id}`)),
    h('td', {}, name, ticket.outlet_name ? h('div', { class: 'meta' }, ticket.outlet_name) : null),
    h('td', {}, statusLabel(ticket.status)),
    h('td', {}, ticket.assignee || t('unassigned'), claimBadge(ticket)),
    h('td', {}, slaBadge(ticket)),
    h('td', { class: 'hide-narrow' }, when(ticket.updated_at)));
}
