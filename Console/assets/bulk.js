// Bulk assignment in the inbox. The agent ticks tickets — each remembers the version it had when it was ticked —
// names an assignee and assigns them one by one through each ticket's own assignment route with If-Match, so every
// ticket is checked, versioned and audited exactly as when it is assigned from its page. Each ticket's result is
// listed: one someone changed after it was ticked (412), one the agent may no longer see (404) or someone else is
// handling (409) is reported and left alone; the rest are assigned.
import { api, ApiError } from './api.js';
import { h, fill, field, announce } from './dom.js';
import { t } from './i18n.js';

export function bulkAssigner({ actor, afterwards }) {
  const selected = new Map();
  let shown = [];
  const assignee = h('input', { type: 'text', list: 'bulk-assignee-choices', size: 22, required: true, value: actor });
  const count = h('span', { class: 'meta', id: 'bulk-count', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'bulk-assign', class: 'primary' }, t('assign_selected'));
  const results = h('ul', { class: 'results', id: 'bulk-results', 'aria-label': t('bulk_results') });
  const all = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': t('select_all'), onchange: () => {
    for (const ticket of shown) toggle(ticket, all.checked);
    for (const box of document.querySelectorAll('input.select-ticket')) box.checked = all.checked;
    update();
  } });
  const form = h('form', { class: 'filters bulk', id: 'bulk-form', onsubmit: (event) => {
    event.preventDefault();
    assign(assignee.value.trim());
  } },
  field('bulk-assignee', t('assign_to'), assignee),
  h('datalist', { id: 'bulk-assignee-choices' }, h('option', { value: actor }, t('mine'))),
  button, count);

  function toggle(ticket, on) {
    if (on) selected.set(ticket.id, selected.get(ticket.id) ?? ticket.version);
    else selected.delete(ticket.id);
  }

  function update() {
    fill(count, t('selected_count', { count: selected.size }));
    button.disabled = selected.size === 0;
    all.checked = shown.length > 0 && shown.every((ticket) => selected.has(ticket.id));
  }

  async function assign(who) {
    if (!who || selected.size === 0) return;
    const chosen = [...selected.entries()];
    const outcomes = [];
    for (const [id, version] of chosen) {
      outcomes.push(await assignOne(id, version, who));
    }
    selected.clear();
    fill(results, outcomes.map(([id, ok, text]) =>
      h('li', { class: ok ? 'ok' : 'refused', dataset: { resultTicket: id, result: ok ? 'assigned' : 'refused' } },
        `T-${id}: ${text}`)));
    announce(t('bulk_done', { assigned: outcomes.filter(([, ok]) => ok).length, total: outcomes.length }));
    update();
    afterwards();
  }

  return {
    form, results,
    header: () => h('th', { scope: 'col' }, all),
    // The tickets now on the page: the select-all box covers them.
    showing(tickets) { shown = tickets; update(); },
    cell: (ticket) => h('td', {}, h('input', {
      type: 'checkbox', class: 'select-ticket', checked: selected.has(ticket.id),
      'aria-label': t('select_ticket', { id: `T-${ticket.id}` }),
      onchange: (event) => { toggle(ticket, event.target.checked); update(); },
    })),
  };
}

// One ticket's assignment against the version it was ticked at: [id, assigned?, what happened].
async function assignOne(id, version, who) {
  try {
    await api('POST', `/v1/tickets/${id}/assignment`, { body: { assignee: who }, headers: { 'If-Match': `"${version}"` } });
    return [id, true, t('bulk_assigned', { who })];
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 412) return [id, false, t('bulk_stale')];
    if (error.status === 404) return [id, false, t('bulk_out_of_scope')];
    if (error.status === 409 && error.problem.type?.endsWith('claimed')) return [id, false, t('claimed_conflict')];
    return [id, false, t('error', { detail: error.message })];
  }
}
