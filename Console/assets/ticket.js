// One ticket: the conversation with delivery ticks and media, the 24-hour window, the reply composer with canned
// replies and the knowledge base, internal notes, the claim and the status moves, the outlet, the customer's rating
// and the history. Every change carries the version the agent was looking at (If-Match): when someone
// else changed the ticket meanwhile the API answers 412 and the page says so and shows their change.
import { api, ApiError } from './api.js';
import { h, fill, field, ready, announce } from './dom.js';
import { t, when } from './i18n.js';
import { subscribe, inOrder } from './live.js';
import { slaBadge, claimBadge, statusLabel } from './badges.js';
import { messageItem, windowIndicator, windowIsOpen } from './thread.js';
import { templateComposer } from './composer.js';
import { assistPanel } from './assist.js';
import { outletPanel, csatResult, historyItems } from './ticket-panels.js';

const moves = { open: ['pending', 'resolved', 'closed'], pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'], closed: [] };

export function render(main, { session, parameters }) {
  const id = parameters[0];
  const base = `/v1/tickets/${id}`;
  // The version the agent's next change is made against: what the page showed when they started writing.
  let version = null;
  let ticket = null;

  const heading = h('h1');
  const summary = h('div', { class: 'meta', id: 'ticket-summary' });
  const conflict = h('div', { id: 'conflict', role: 'alert' });
  const windowNote = h('p', { id: 'window' });
  const thread = h('ol', { class: 'thread', id: 'thread', 'aria-label': t('thread') });
  const notes = h('ul', { class: 'notes', id: 'notes' });
  const reply = h('textarea', { placeholder: t('reply_placeholder') });
  const note = h('textarea', { placeholder: t('note_placeholder') });
  const target = h('select');
  const claimButton = h('button', { type: 'button', id: 'claim' });
  const csat = h('div', { id: 'csat-slot' });
  const history = h('ol', { class: 'history', id: 'history' });

  const drafting = () => reply.value.trim() !== '' || note.value.trim() !== '';

  // One change to the ticket, made against `version`; the page reloads what it shows afterwards.
  async function change(method, path, body, done) {
    fill(conflict);
    conflict.className = '';
    try {
      await api(method, `${base}${path}`, { body, headers: version === null ? {} : { 'If-Match': `"${version}"` } });
      if (done) done();
      await refresh({ force: true });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const text = error.status === 412 ? t('stale_version')
        : error.status === 409 && error.problem.type?.endsWith('claimed') ? `${t('claimed_conflict')} ${error.message}`
          : t('error', { detail: error.message });
      conflict.className = error.status === 412 ? 'conflict stale' : 'conflict';
      fill(conflict, text);
      if (error.status === 412) await refresh({ force: true });
    }
  }

  // The text composer while the customer's window is open, the template composer once it has closed.
  const composerSlot = h('div', { id: 'composer' });
  let windowOpen = null;
  const composer = h('form', { class: 'card', id: 'reply-form', onsubmit: (event) => {
    event.preventDefault();
    if (reply.value.trim()) change('POST', '/messages', { text: reply.value.trim() }, () => { reply.value = ''; announce(t('sent')); });
  } }, field('reply-text', t('reply'), reply), h('button', { type: 'submit', class: 'primary' }, t('send_reply')));
  const noteForm = h('form', { id: 'note-form', onsubmit: (event) => {
    event.preventDefault();
    if (note.value.trim()) change('POST', '/notes', { text: note.value.trim() }, () => { note.value = ''; announce(t('saved')); });
  } }, field('note-text', t('note'), note), h('button', { type: 'submit' }, t('add_note')));
  const outlet = outletPanel((oid) => change('POST', '/outlet', { oid }, () => announce(t('saved'))));
  // Text goes where the cursor is in the reply (or after what is there), and the reply takes the focus.
  function insert(text) {
    if (!composerSlot.contains(reply)) { announce(t('window_closed')); return; }
    const at = reply.selectionStart ?? reply.value.length;
    reply.value = reply.value.slice(0, at) + text + reply.value.slice(reply.selectionEnd ?? at);
    reply.focus();
    reply.selectionStart = reply.selectionEnd = at + text.length;
  }
  const assist = assistPanel({ ticket: () => ticket, actor: session.actor, insert,
    send: (replyID) => change('POST', `/canned-replies/${replyID}`, undefined, () => announce(t('sent'))) });
  // The ticket's outcome (free text: sold, refunded, …), set or cleared.
  const outcome = h('input', { type: 'text', maxlength: 200 });
  const actions = h('div', { class: 'actions' },
    claimButton,
    field('move-to', t('move_to'), target),
    h('button', { type: 'button', id: 'move', onclick: () => target.value && change('POST', '/status', { status: target.value }) }, t('move')),
    h('button', { type: 'button', id: 'resolve', class: 'primary', onclick: () => change('POST', '/status', { status: 'resolved' }) }, t('resolve')),
    field('outcome-text', t('outcome'), outcome),
    h('button', { type: 'button', id: 'save-outcome', onclick: () => change('POST', '/outcome',
      { outcome: outcome.value.trim() || null }, () => announce(t('saved'))) }, t('save_outcome')));
  claimButton.addEventListener('click', () => {
    const mine = ticket?.claimed_by === session.actor;
    change(mine ? 'DELETE' : 'POST', '/claim', mine ? undefined : {});
  });

  fill(main,
    h('p', {}, h('a', { href: '/console/inbox' }, t('back_to_inbox'))),
    heading, summary, conflict,
    h('div', { class: 'ticket' },
      h('section', { 'aria-labelledby': 'thread-heading' }, h('h2', { id: 'thread-heading' }, t('thread')), windowNote,
        thread, composerSlot),
      h('section', { 'aria-labelledby': 'notes-heading' }, actions, csat,
        h('h2', { id: 'notes-heading' }, t('notes')), notes, noteForm, assist, outlet.node,
        h('h2', { id: 'history-heading' }, t('history')), history)));

  function drawTicket(found) {
    ticket = found;
    fill(heading, `T-${found.id} · ${found.name || ''}`);
    fill(summary, statusLabel(found.status), ' · ', found.assignee || t('unassigned'), ' · ', found.queue || '',
      found.outlet_name ? ` · ${found.outlet_name}` : '', ' · ', t('version', { version: found.version }), ' ',
      slaBadge(found), ' ', claimBadge(found),
      found.contact_id && session.permissions.includes('contacts.read')
        ? [' · ', h('a', { href: `/console/contacts/${found.contact_id}`, id: 'contact-link' }, t('contact'))] : null);
    fill(windowNote, windowIndicator(found));
    if (windowOpen !== windowIsOpen(found)) {
      windowOpen = windowIsOpen(found);
      fill(composerSlot, windowOpen ? composer
        : templateComposer(found, (body, done) => change('POST', '/messages', body, () => { done(); announce(t('sent')); })));
    }
    fill(target, h('option', { value: '' }, '—'), (moves[found.status] || []).map((status) =>
      h('option', { value: status }, statusLabel(status))));
    if (document.activeElement !== outcome) outcome.value = found.outcome || '';
    claimButton.textContent = found.claimed_by === session.actor ? t('release') : t('claim');
    document.getElementById('resolve').hidden = !(moves[found.status] || []).includes('resolved');
  }

  async function load() {
    const [found, messages, written, changes] = await Promise.all([
      api('GET', base), api('GET', `${base}/messages?limit=500`), api('GET', `${base}/notes?limit=500`),
      api('GET', `${base}/history?limit=500`),
    ]);
    return { ticket: found.data, messages: messages.data.items, notes: written.data.items, history: changes.data.items };
  }

  let shownKey = '';
  function draw(state, { force = false } = {}) {
    // While the agent writes, the version they write against stays; the page still shows what changed.
    if (force || !drafting() || version === null) version = state.ticket.version;
    const key = JSON.stringify([state.ticket.version, state.messages.map((m) => [m.id, m.delivery?.status,
      m.media?.download?.status]), state.notes.length, state.history.length]);
    if (key === shownKey && !force) return;
    shownKey = key;
    drawTicket(state.ticket);
    outlet.draw(state.ticket, state.history);
    fill(csat, csatResult(state.history));
    historyItems(history, state.history);
    fill(thread, state.messages.length ? state.messages.map((message) => messageItem(message)) : h('li', {}, t('no_messages')));
    fill(notes, state.notes.length ? state.notes.map((item) => h('li', {}, item.text,
      h('div', { class: 'meta' }, `${item.actor || item.author || ''} · ${when(item.created_at || item.at)}`))) : h('li', {}, t('no_notes')));
  }

  const view = inOrder(load, draw);
  async function refresh(options) { view.draw(await view.load(), options); }

  refresh({ force: true }).then(ready, (error) => {
    fill(main, h('h1', {}, t('ticket')), h('p', { role: 'alert', class: 'conflict' }, t('error', { detail: error.message })));
    ready();
  });
  return subscribe(view.load, (state) => view.draw(state), { ticket: id });
}
