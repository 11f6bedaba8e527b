// The first-run page: the link a fresh gateway prints carries a one-time code; with it, whoever started the gateway
// creates the first admin, then signs in.
import { api, ApiError } from './api.js';
import { h, fill, field, ready } from './dom.js';
import { t } from './i18n.js';

export function render(main, { navigate }) {
  const code = new URLSearchParams(location.search).get('code') || '';
  const email = h('input', { type: 'email', autocomplete: 'username', required: true });
  const name = h('input', { type: 'text', autocomplete: 'name' });
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12,
    'aria-describedby': 'setup-password-hint' });
  const message = h('p', { class: 'error', role: 'alert', id: 'setup-error' });
  const form = h('form', { class: 'card login', id: 'setup', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    fill(message);
    try {
      await api('POST', '/v1/setup', { body: { code, email: email.value.trim(), password: password.value,
        ...(name.value.trim() ? { name: name.value.trim() } : {}) }, quietExpiry: true });
      navigate('/console/login?created=1', { replace: true });
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : {};
      fill(message, error.status === 403 ? t('setup_invalid')
        : (problem.errors || []).map((item) => `${item.field}: ${item.message}`).join(' ') || t('error', { detail: error.message }));
    }
  } },
  h('h1', {}, t('setup_title')),
  h('p', {}, t('setup_intro')),
  field('setup-email', t('email'), email),
  field('setup-name', t('name'), name),
  field('setup-password', t('password'), password),
  h('p', { class: 'meta', id: 'setup-password-hint' }, t('password_hint')),
  message,
  h('button', { type: 'submit', class: 'primary' }, t('create_admin')));
  fill(main, code ? form : h('div', { class: 'card login' }, h('h1', {}, t('setup_title')),
    h('p', { class: 'notice', role: 'alert' }, t('setup_invalid'))));
  if (code) email.focus();
  ready();
}
