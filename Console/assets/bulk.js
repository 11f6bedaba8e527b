// Bulk assignment in the inbox. The agent ticks tickets — each remembers the version it had when it was ticked —
// names an assignee and sends them in one request (POST /v1/tickets/assignments). The gateway assigns each ticket on
// its own, exactly as its assignment route with If-Match would — checked, versioned and audited one by one — and
// answers each ticket's result, listed here: one someone changed after it was ticked (412), one the agent may not
// see (404) or someone else is handling (409) is reported and left alone; the rest are assigned.
import { api } from './api.js';
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
    const tickets = [...selected.entries()].map(([id, version]) => ({ id: Number(id), version }));
    let answer;
    try {
      ({ data: answer } = await api('POST', '/v1/tickets/assignments', { body: { assignee: who, tickets } }));
    } catch (error) {
      announce(t('error', { detail: error.message }));
      return;
    }
    selected.clear();
    fill(results, answer.results.map((result) => {
      const ok = result.result === 'assigned';
      return h('li', { class: ok ? 'ok' : 'refused', dataset: { resultTicket: result.id, result: result.result } },
        `T-${result.id}: ${ok ? t('bulk_assigned', { who }) : refusal(result)}`);
    }));
    announce(t('bulk_done', { assigned: answer.assigned, total: answer.results.length }));
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

// Why a ticket was left alone, from the problem its own route would have answered.
function refusal(result) {
  if (result.status === 412) return t('bulk_stale');
  if (result.status === 404) return t('bulk_out_of_scope');
  if (result.status === 409 && result.problem?.type?.endsWith('claimed')) return t('claimed_conflict');
  return t('error', { detail: result.problem?.detail || result.problem?.title || result.status });
}
