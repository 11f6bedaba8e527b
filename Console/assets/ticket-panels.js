// The ticket page's side panels drawn from the ticket and its history: which outlet the ticket is about (with the
// outlets the customer was offered when their number matched several, and a field to link any other), the
// customer's satisfaction rating, and the history itself — every change, who made it and when.
import { h, fill, field } from './dom.js';
import { t, when } from './i18n.js';

// `link(oid)` links the ticket to an outlet (the page sends it with the version the agent saw).
export function outletPanel(link) {
  const node = h('section', { class: 'card side', id: 'outlet', 'aria-labelledby': 'outlet-heading' });
  const oid = h('input', { type: 'text', size: 10, required: true, autocomplete: 'off' });
  const form = h('form', { class: 'inline', id: 'outlet-form', onsubmit: (event) => {
    event.preventDefault();
    if (oid.value.trim()) link(oid.value.trim()).then(() => { oid.value = ''; });
  } }, field('outlet-oid', t('outlet_oid'), oid), h('button', { type: 'submit' }, t('link_outlet')));

  return {
    node,
    draw(ticket, history) {
      const status = ticket.outlet_status;
      const asked = [...history].reverse().find((entry) => entry.action === 'outlet_ambiguous');
      const candidates = status === 'ambiguous' ? (asked?.detail?.candidates || []) : [];
      fill(node, h('h2', { id: 'outlet-heading' }, t('outlet')),
        h('p', { id: 'outlet-current', dataset: { outletStatus: status || 'none' } },
          ticket.oid ? `${ticket.outlet_name || ''} (${ticket.fid || ''}/${ticket.oid})` : t(`outlet_${status || 'none'}`)),
        candidates.length ? h('div', { class: 'choices', role: 'group', 'aria-label': t('outlet_candidates') },
          candidates.map((candidate) => h('button', { type: 'button', class: 'choose-outlet', dataset: { oid: candidate },
            onclick: () => link(candidate) }, t('choose_outlet', { oid: candidate })))) : null,
        form);
    },
  };
}

// The customer's answer to the satisfaction survey, from the history (`csat_sent`, `csat_rated`).
export function csatResult(history) {
  const rated = [...history].reverse().find((entry) => entry.action === 'csat_rated');
  const sent = history.some((entry) => entry.action === 'csat_sent');
  const commented = history.some((entry) => entry.action === 'csat_commented');
  const text = rated ? t('csat_rated', { rating: rated.to, at: when(rated.at) })
    : sent ? t('csat_waiting') : t('csat_none');
  return h('p', { id: 'csat', dataset: { rating: rated?.to || '' } }, h('strong', {}, t('csat')), ' ', text,
    commented ? ` ${t('csat_commented')}` : '');
}

// The history as the API names each change (the same names as the audit log), oldest first.
export function historyItems(list, history) {
  fill(list, history.length ? history.map((entry) => h('li', { dataset: { action: entry.action } },
    h('span', { class: 'what' }, entry.action),
    entry.from || entry.to ? h('span', {}, ` ${entry.from ?? ''} → ${entry.to ?? ''}`) : null,
    h('div', { class: 'meta' }, `${entry.actor || ''} · ${when(entry.at)}`))) : h('li', {}, t('no_history')));
}
