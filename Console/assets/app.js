// The console's shell: who is signed in, the navigation their role allows, the language switch, and which page the
// address shows. Pages are modules loaded on first use; each draws into <main> and returns a function that stops
// what it started (its live updates). The UI only hides what a role cannot do: the API checks every request again.
import { api, setCsrfToken, whenExpired } from './api.js';
import { h, fill, field, ready } from './dom.js';
import { t, languages, language, setLanguage, onLanguageChange, translateStatic } from './i18n.js';

// The pages behind the sign-in, by the first segment after /console/, with the permission each needs.
const pages = {
  inbox: { permission: 'tickets.read', nav: 'nav_inbox', load: () => import('./inbox.js') },
  tickets: { permission: 'tickets.read', load: () => import('./ticket.js') },
  contacts: { permission: 'contacts.read', load: () => import('./contact.js') },
  renewals: { permission: 'renewals.read', nav: 'nav_renewals', load: () => import('./renewals.js') },
  operations: { permission: 'delivery.manage', nav: 'nav_operations', load: () => import('./operations.js') },
  users: { permission: 'users.manage', nav: 'nav_users', load: () => import('./users.js') },
  analytics: { permission: 'analytics.read', nav: 'nav_analytics', load: () => import('./analytics.js') },
  segments: { permission: 'segments.view', nav: 'nav_segments', load: () => import('./segments.js') },
};
// Pages anyone may open.
const publicPages = {
  login: () => import('./login.js'),
  setup: () => import('./setup.js'),
};

const main = document.getElementById('main');
const bar = document.getElementById('bar');
let session = null;
let stopPage = null;

export function currentSession() { return session; }

export function signedIn(found) {
  session = found;
  setCsrfToken(found?.csrf_token ?? null);
}

// Goes to `path` (an address under /console) without reloading the page; the new page's content takes the focus,
// as after a page load, so the keyboard and screen readers start at its top.
export function navigate(path, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  route().then(() => { if (!main.contains(document.activeElement)) main.focus(); });
}

// Where a sign-in returns to: only addresses of the console itself.
export function safeReturn(path) {
  return typeof path === 'string' && /^\/console\/[a-z]/.test(path) && !path.startsWith('/console/login')
    ? path : '/console/inbox';
}

function here() { return location.pathname + location.search; }

async function route() {
  if (stopPage) { stopPage(); stopPage = null; }
  delete document.body.dataset.ready;
  const segments = location.pathname.split('/').filter(Boolean);
  const name = segments[1] || 'inbox';
  document.body.dataset.page = name;
  if (publicPages[name]) {
    bar.hidden = true;
    const module = await publicPages[name]();
    stopPage = module.render(main, { navigate, signedIn, safeReturn });
    return;
  }
  if (!session) {
    try {
      const { data } = await api('GET', '/v1/session', { quietExpiry: true });
      signedIn(data);
    } catch {
      navigate(`/console/login?next=${encodeURIComponent(here())}`, { replace: true });
      return;
    }
  }
  if (segments.length < 2) { navigate('/console/inbox', { replace: true }); return; }
  drawBar(name);
  const page = pages[name];
  if (!page) { showMessage('not_found', 'not_found'); return; }
  if (!session.permissions.includes(page.permission)) { showMessage('no_access_title', 'no_access'); return; }
  const module = await page.load();
  stopPage = module.render(main, { session, navigate, parameters: segments.slice(2) }) || null;
}

function showMessage(title, text) {
  fill(main, h('h1', {}, t(title)), h('p', { class: 'notice', role: 'alert' }, t(text)));
  ready();
}

function drawBar(active) {
  bar.hidden = false;
  const links = Object.entries(pages)
    .filter(([, page]) => page.nav && session.permissions.includes(page.permission))
    .map(([name, page]) => h('a', {
      href: `/console/${name}`, 'aria-current': name === active ? 'page' : null, dataset: { nav: name },
    }, t(page.nav)));
  const picker = h('select', { onchange: (event) => setLanguage(event.target.value) },
    languages.map(([code, label]) => h('option', { value: code, selected: code === language() }, label)));
  fill(bar,
    h('span', { class: 'brand' }, t('app_name')),
    h('nav', { 'aria-label': t('main_nav') }, links),
    h('span', { class: 'who' }, t('signed_in_as', { actor: session.actor, role: t(`role_${session.role}`) })),
    field('language', t('language'), picker),
    h('button', { type: 'button', id: 'sign-out', onclick: signOut }, t('sign_out')));
}

async function signOut() {
  try { await api('DELETE', '/v1/session', { quietExpiry: true }); } catch { /* the session is gone either way */ }
  signedIn(null);
  navigate('/console/login?signed_out=1');
}

// Links inside the console move without a reload; others (and modified clicks) behave as usual.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="/console/"]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', route);
whenExpired(() => {
  if (!session) return;
  signedIn(null);
  navigate(`/console/login?expired=1&next=${encodeURIComponent(here())}`, { replace: true });
});
onLanguageChange(() => { translateStatic(); route(); });
translateStatic();
route();
