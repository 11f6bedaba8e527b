// How a ticket's conversation is drawn: one item per message with its sender, time, media and, for what the business
// sent, the delivery tick; and the customer-service window WhatsApp allows free text in.
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
    mediaPreview(message),
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

// A customer's file once the gateway has stored it, from the gateway itself (the page's policy allows only its own
// origin): images and stickers inline with their caption as alt text, audio and video in players, documents as a
// download link; a file still downloading, failed or removed is said so. Media the business sent by link is linked.
export function mediaPreview(message) {
  const kind = message.type;
  if (!['image', 'sticker', 'audio', 'video', 'document'].includes(kind)) return null;
  const download = message.media?.download;
  const sent = message.content?.media?.link;
  if (!download?.url) {
    if (sent) return h('div', { class: 'media' }, h('a', { href: sent, rel: 'noopener noreferrer', target: '_blank' }, t(`media_${kind}`)));
    return download ? h('div', { class: 'media meta', dataset: { media: download.status } },
      t(`media_${kind}`), ' · ', t(`media_status_${download.status}`)) : null;
  }
  const url = download.url;
  const label = message.media?.caption || message.media?.filename || t(`media_${kind}`);
  const player = {
    image: () => h('img', { src: url, alt: message.media?.caption || t('media_image_alt'), loading: 'lazy' }),
    sticker: () => h('img', { src: url, alt: t('media_sticker'), class: 'sticker', loading: 'lazy' }),
    audio: () => h('audio', { src: url, controls: true, preload: 'none', 'aria-label': label }),
    video: () => h('video', { src: url, controls: true, preload: 'metadata', 'aria-label': label }),
    document: () => null,
  }[kind]();
  return h('div', { class: 'media', dataset: { media: 'stored' } }, player,
    h('a', { href: url, download: message.media?.filename || true }, kind === 'document' ? label : t('media_open')));
}
