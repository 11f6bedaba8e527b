// Small labels the inbox and the ticket share: SLA state with its countdown, who holds a claim, a status's name.
import { h } from './dom.js';
import { t } from './i18n.js';

function duration(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d`;
}

function time(value) {
  return value === null || value === undefined ? null : typeof value === 'number' ? value : Date.parse(value);
}

// The ticket's running SLA clock: first response until it is given, then resolution; breached when the API says so.
export function slaBadge(ticket) {
  if (ticket.sla_status === 'breached') return h('span', { class: 'badge late' }, t('sla_breached'));
  if (['resolved', 'closed'].includes(ticket.status)) return h('span', { class: 'badge muted' }, '—');
  const due = time(ticket.first_response_at ? ticket.resolution_due_at : ticket.first_response_due_at);
  if (!due) return h('span', { class: 'badge ok' }, t('sla_on_track'));
  const left = due - Date.now();
  return left >= 0
    ? h('span', { class: left < 5 * 60000 ? 'badge warn' : 'badge ok' }, t('sla_due_in', { time: duration(left) }))
    : h('span', { class: 'badge late' }, t('sla_overdue', { time: duration(left) }));
}

export function claimBadge(ticket) {
  // The gateway clears a claim that ran out when the ticket is next read or changed; the page shows what it says.
  if (!ticket.claimed_by) return null;
  return h('div', { class: 'badge warn claim' }, t('claimed_by', { who: ticket.claimed_by }));
}

export function statusLabel(status) {
  return ['open', 'pending', 'resolved', 'closed'].includes(status) ? t(`status_${status}`) : status;
}
