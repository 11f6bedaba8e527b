// The sign-in page: email and password to POST /v1/session, then back to the page that asked for it.
import { api, ApiError } from './api.js';
import { h, fill, field, ready } from './dom.js';
import { t, languages, language, setLanguage } from './i18n.js';

export function render(main, { navigate, signedIn, safeReturn }) {
  const search = new URLSearchParams(location.search);
  const next = safeReturn(search.get('next'));
  const notice = search.has('expired') ? t('session_expired') : search.has('signed_out') ? t('signed_out')
    : search.has('created') ? t('setup_done') : '';
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('sign_in'));
  const picker = h('select', { onchange: (event) => setLanguage(event.target.value) },
    languages.map(([code, label]) => h('option', { value: code, selected: code === language() }, label)));
  const form = h('form', { class: 'card login', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    fill(message);
    submit.disabled = true;
    submit.textContent = t('signing_in');
    try {
      await api('POST', '/v1/session', {
        body: { email: email.value.trim(), password: password.value }, quietExpiry: true,
      });
      // The next page reads the whole session (permissions, scope, CSRF token) from GET /v1/session.
      signedIn(null);
      navigate(next, { replace: true });
    } catch (error) {
      fill(message, error instanceof ApiError && error.status === 429 ? t('too_many_attempts') : t('sign_in_failed'));
      submit.disabled = false;
      submit.textContent = t('sign_in');
      password.select();
    }
  } },
  h('h1', {}, t('sign_in_title')),
  notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
  field('login-email', t('email'), email),
  field('login-password', t('password'), password),
  message, submit, field('login-language', t('language'), picker));
  fill(main, form);
  email.focus();
  ready();
}
