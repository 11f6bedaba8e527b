// How a ticket's conversation is drawn: one item per message with its sender, time and, for what the business sent,
// the delivery tick; and the customer-service window WhatsApp allows free text in.
import { h } from './dom.js';
import { t, when } from './i18n.js';

const ticks = { queued: '🕓', accepted: '✓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' };
const windowLength = 24 * 60 * 60 * 1000;

export function messageItem(message) {
  const out = message.direction === 'out';
  const words = message.text || message.media?.caption || `[${message.type}]`;
  const delivery = message.delivery?.status;
  return h('li', { class: out ? 'message out' : 'message in', dataset: { message: message.id } },
    h('div', {}, words),
    h('div', { class: 'meta' },
      h('span', {}, out ? t('from_agent', { who: message.sender || '' }) : t('from_customer')),
      h('span', {}, when(message.sent_at || message.created_at)),
      out && delivery ? h('span', { class: `tick ${delivery}`, title: t(`delivery_${delivery}`),
        dataset: { delivery } }, ticks[delivery] || '', ' ', t(`delivery_${delivery}`)) : null));
}

// When the window closes: 24 hours after the customer's newest message (null before any).
function windowCloses(ticket) {
  return ticket.last_customer_message_at ? Date.parse(ticket.last_customer_message_at) + windowLength : null;
}

// Whether free text still reaches the customer (no customer message yet: nothing does, the API says why).
export function windowIsOpen(ticket) {
  const closes = windowCloses(ticket);
  return closes === null || closes > Date.now();
}

// Open until 24 hours after the customer's newest message; after that only templates reach them.
export function windowIndicator(ticket) {
  const closes = windowCloses(ticket);
  if (!closes) return h('span', { class: 'badge muted' }, t('window_unknown'));
  return closes > Date.now()
    ? h('span', { class: 'badge ok', dataset: { window: 'open' } }, t('window_open', { time: when(closes) }))
    : h('span', { class: 'badge late', dataset: { window: 'closed' } }, t('window_closed'));
}
