// What helps an agent write: the team's canned replies (searched by name, text and tag, in either language) and the
// internal knowledge base. "Insert" puts a reply's text — its variables filled as the gateway fills them — or an
// article's body into the composer for the agent to edit; "Send" sends a canned reply as it is through the gateway,
// which picks its template once the customer's 24-hour window has closed.
import { api, query } from './api.js';
import { h, fill, field, announce } from './dom.js';
import { t, languages } from './i18n.js';

// `insert(text)` puts text into the composer; `send(replyID)` sends a canned reply on the ticket.
export function assistPanel({ ticket, actor, insert, send }) {
  const cannedQuery = h('input', { type: 'search', size: 16, maxlength: 100 });
  const cannedLanguage = h('select', {}, h('option', { value: '' }, t('any')),
    languages.map(([code, label]) => h('option', { value: code }, label)));
  const cannedList = h('ul', { class: 'picks', id: 'canned-list', 'aria-label': t('canned_replies') });
  const kbQuery = h('input', { type: 'search', size: 16, maxlength: 100 });
  const kbList = h('ul', { class: 'picks', id: 'kb-list', 'aria-label': t('kb_results') });

  async function searchCanned() {
    const q = cannedQuery.value.trim();
    const { data } = await api('GET', `/v1/canned-replies${query({ q: q.length >= 2 ? q : '', language: cannedLanguage.value })}`);
    fill(cannedList, data.items.length ? data.items.map((reply) => h('li', { dataset: { reply: reply.id } },
      h('strong', {}, reply.name), ` (${reply.language})`, h('div', { class: 'meta' }, reply.text),
      h('button', { type: 'button', class: 'insert', onclick: () => insert(fillVariables(reply.text, ticket(), actor)) }, t('insert')),
      ' ', h('button', { type: 'button', class: 'send', onclick: () => send(reply.id) }, t('send'))))
      : h('li', {}, t('no_matches')));
  }

  async function searchArticles() {
    const q = kbQuery.value.trim();
    if (q.length < 2) { fill(kbList, h('li', { class: 'meta' }, t('kb_hint'))); return; }
    const { data } = await api('GET', `/v1/kb/articles${query({ q })}`);
    fill(kbList, data.items.length ? data.items.map((article) => h('li', { dataset: { article: article.id } },
      h('strong', {}, article.title), h('div', { class: 'meta' }, excerpt(article.body)),
      h('button', { type: 'button', class: 'insert', onclick: () => insert(article.body) }, t('insert'))))
      : h('li', {}, t('no_matches')));
  }

  const guarded = (search) => (event) => {
    event?.preventDefault();
    search().catch((error) => announce(t('error', { detail: error.message })));
  };
  searchCanned().catch(() => fill(cannedList, h('li', {}, t('no_matches'))));
  fill(kbList, h('li', { class: 'meta' }, t('kb_hint')));

  return h('section', { class: 'card side', id: 'assist', 'aria-labelledby': 'canned-heading' },
    h('h2', { id: 'canned-heading' }, t('canned_replies')),
    h('form', { class: 'inline', id: 'canned-search', onsubmit: guarded(searchCanned) },
      field('canned-q', t('search'), cannedQuery), field('canned-language', t('ticket_language'), cannedLanguage),
      h('button', { type: 'submit' }, t('search'))),
    cannedList,
    h('h2', { id: 'kb-heading' }, t('knowledge_base')),
    h('form', { class: 'inline', id: 'kb-search', onsubmit: guarded(searchArticles) },
      field('kb-q', t('search'), kbQuery), h('button', { type: 'submit' }, t('search'))),
    kbList);
}

// The variables a canned reply may hold, as the gateway fills them when it sends the reply.
function fillVariables(text, ticket, actor) {
  const name = (ticket?.name || '').replace(/^WhatsApp: /, '').trim();
  const values = {
    'contact.name': name || (ticket?.language === 'ms' ? 'Pelanggan' : 'Customer'),
    'ticket.ref': ticket ? `T-${ticket.id}` : '',
    'agent.name': actor,
  };
  return text.replace(/\{\{\s*([a-z.]+)\s*\}\}/g, (whole, key) => values[key] ?? whole);
}

function excerpt(body) {
  return body.length > 160 ? `${body.slice(0, 160)}…` : body;
}
