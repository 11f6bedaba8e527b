// A contact: who they are (WhatsApp accounts, phones — a phone linked to a WhatsApp account is locked — emails,
// marketing consent), the outlets their tickets are linked to, their tickets, the segments they are in and, for
// sales, their deals; admins export or erase their personal data (PDPA), erasure only after a confirmation.
import { api, query } from './api.js';
import { h, fill, ready, announce } from './dom.js';
import { t, when } from './i18n.js';
import { statusLabel } from './badges.js';

export function render(main, { session, parameters }) {
  const id = parameters[0];
  const can = (permission) => session.permissions.includes(permission);
  // When this page erased the person (the contact document itself does not say so).
  let erasedAt = null;

  async function draw() {
    const [{ data: contact }, { data: tickets }, deals, segments] = await Promise.all([
      api('GET', `/v1/contacts/${encodeURIComponent(id)}`),
      api('GET', `/v1/tickets${query({ contact_id: id, limit: 50 })}`),
      can('deals.read') ? api('GET', `/v1/deals${query({ contact_id: id, limit: 50 })}`) : Promise.resolve(null),
      can('segments.view') ? api('GET', `/v1/customers/${encodeURIComponent(id)}/segments`) : Promise.resolve(null),
    ]);
    // The outlets the person's tickets are linked to, each once.
    const outlets = [...new Map(tickets.items.filter((ticket) => ticket.oid)
      .map((ticket) => [ticket.oid, ticket.outlet_name || ticket.oid])).entries()];
    const consent = contact.consents?.marketing_messages;
    fill(main,
      h('h1', {}, contact.name || contact.id),
      erasedAt ? h('p', { class: 'notice', id: 'erased' }, t('erased', { time: when(erasedAt) })) : null,
      h('section', { 'aria-labelledby': 'identity-heading', class: 'card' },
        h('h2', { id: 'identity-heading' }, t('identity')),
        list('bsuids', t('bsuids'), (contact.bsuids || []).map((node) =>
          [node.username || '', ' ', h('code', {}, node.bsuid), node.status === 'retired' ? ` (${node.status})` : ''])),
        list('phones', t('phones'), (contact.phones || []).map((phone) =>
          [phone.phone, phone.editable === false ? h('span', { class: 'badge muted', title: t('phone_locked') },
            '🔒 ', t('phone_locked')) : null])),
        list('emails', t('emails'), (contact.emails || []).map((email) => [email])),
        h('p', {}, h('strong', {}, t('consent'), ': '),
          consent ? `${t(`consent_${consent.status}`)} (${consent.source}, ${when(consent.changed_at * 1000)})` : t('consent_none'))),
      h('h2', {}, t('outlets_of_contact')),
      records(outlets, ([oid, name]) => [name, ' ', h('code', {}, oid)], 'contact-outlets'),
      h('h2', {}, t('tickets_of_contact')),
      records(tickets.items, (ticket) => [h('a', { href: `/console/tickets/${ticket.id}` }, `T-${ticket.id}`), ' ',
        ticket.name || '', ' · ', statusLabel(ticket.status)], 'contact-tickets'),
      segments ? [h('h2', {}, t('segments_of_contact')), records(segments.data.segments || [], (segment) =>
        [h('a', { href: `/console/segments/${segment.segment_id}` }, segment.segment_name)], 'contact-segments')] : null,
      deals ? [h('h2', {}, t('deals')), records(deals.data.items, (deal) => [deal.name || `#${deal.id}`, ' · ',
        deal.stage || deal.status || ''], 'contact-deals')] : null,
      can('personal_data.manage') ? privacy(contact) : null);
  }

  function privacy(contact) {
    const dialog = h('dialog', { id: 'erase-dialog', 'aria-labelledby': 'erase-question' },
      h('p', { id: 'erase-question' }, t('erase_confirm')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'erase-yes', onclick: async () => {
          dialog.close();
          await guarded(async () => {
            await api('POST', `/v1/contacts/${encodeURIComponent(contact.id)}/erasure`, { body: {} });
            erasedAt = Date.now();
          });
          await draw();
        } }, t('erase_yes')),
        h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))));
    return h('section', { 'aria-labelledby': 'privacy-heading', class: 'card' },
      h('h2', { id: 'privacy-heading' }, t('personal_data')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'export', onclick: () => guarded(() => download(contact.id)) }, t('export_data')),
        erasedAt ? null
          : h('button', { type: 'button', id: 'erase', onclick: () => dialog.showModal() }, t('erase_data'))),
      dialog);
  }

  draw().then(ready, (error) => {
    fill(main, h('h1', {}, t('contact')), h('p', { role: 'alert', class: 'conflict' }, t('error', { detail: error.message })));
    ready();
  });
}

// The subject-access export as a JSON file the browser saves.
async function download(id) {
  const { data } = await api('GET', `/v1/contacts/${encodeURIComponent(id)}/export`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = h('a', { href: url, download: `personal-data-${id}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  announce(t('export_ready'));
}

async function guarded(action) {
  try { await action(); } catch (error) { announce(t('error', { detail: error.message })); }
}

function list(id, label, items) {
  return h('div', {}, h('h3', { id: `${id}-heading` }, label),
    h('ul', { id, 'aria-labelledby': `${id}-heading` }, items.length ? items.map((item) => h('li', {}, item)) : h('li', {}, t('none'))));
}

function records(items, line, id) {
  return h('ul', { id }, items.length ? items.map((item) => h('li', {}, line(item))) : h('li', {}, t('none')));
}
