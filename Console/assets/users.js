// Users and API tokens (admins, `users.manage`): the console's users with their role and outlet scope, created here
// and deactivated (or reactivated) without being deleted, so their audit trail keeps its names; and the API tokens
// of integrations. A new token's secret is shown once, right after it is created, and never again: the gateway keeps
// only its hash, and the page forgets it when it is dismissed or left.
import { api } from './api.js';
import { h, fill, field, ready, announce } from './dom.js';
import { t, when } from './i18n.js';
import { table, guarded } from './widgets.js';

const roles = ['agent', 'sales', 'renewal', 'admin'];

export function render(main, { session }) {
  const users = h('tbody');
  const tokens = h('tbody');
  const secret = h('div', { id: 'token-secret', role: 'status' });

  const userForm = form('user', [
    ['email', h('input', { type: 'email', required: true, autocomplete: 'off' })],
    ['name', h('input', { type: 'text', maxlength: 200 })],
    ['role', roleChoice()],
    ['scope', scopeInput()],
    ['password', h('input', { type: 'password', required: true, minlength: 12, autocomplete: 'new-password' })],
  ], t('create_user'), async (values) => {
    await api('POST', '/v1/users', { body: withScope(values) });
    announce(t('user_created', { email: values.email }));
    await loadUsers();
  });
  const tokenForm = form('token', [
    ['name', h('input', { type: 'text', required: true, maxlength: 100 })],
    ['role', roleChoice()],
    ['scope', scopeInput()],
    ['expires_in', h('input', { type: 'text', size: 8, placeholder: '90d' })],
  ], t('create_token'), async (values) => {
    const { data } = await api('POST', '/v1/tokens', { body: withScope(values) });
    showSecret(data);
    await loadTokens();
  });

  fill(main, h('h1', {}, t('users_title')),
    h('h2', {}, t('users')), table(['email', 'name', 'role', 'scope', 'status', 'action'], users, 'users'),
    h('h2', {}, t('create_user')), userForm,
    h('h2', {}, t('tokens')), secret,
    table(['name', 'token_prefix', 'role', 'scope', 'status', 'last_used', 'action'], tokens, 'tokens'),
    h('h2', {}, t('create_token')), tokenForm);

  function showSecret(created) {
    fill(secret, h('div', { class: 'notice', tabindex: '-1', id: 'token-secret-box' },
      h('p', {}, t('token_secret_once', { name: created.name })),
      h('code', { class: 'secret', id: 'token-secret-value' }, created.token),
      h('p', {}, h('button', { type: 'button', id: 'token-secret-done', onclick: () => fill(secret) }, t('token_secret_done')))));
    document.getElementById('token-secret-box').focus();
  }

  async function loadUsers() {
    const { data } = await api('GET', '/v1/users');
    fill(users, data.items.map((user) => h('tr', { dataset: { user: user.email } },
      h('td', {}, user.email), h('td', {}, user.name || ''), h('td', {}, t(`role_${user.role}`)),
      h('td', {}, scopeText(user.scope)),
      h('td', {}, user.disabled_at ? t('user_disabled', { at: when(user.disabled_at) }) : t('user_active')),
      // Admins do not lock themselves out from here.
      h('td', {}, user.email === session.actor ? t('you') : h('button', {
        type: 'button', class: user.disabled_at ? 'reactivate' : 'deactivate',
        onclick: () => setDisabled(user, !user.disabled_at) }, user.disabled_at ? t('reactivate') : t('deactivate'))))));
  }

  async function setDisabled(user, disabled) {
    await guarded(async () => {
      await api('PATCH', `/v1/users/${user.id}`, { body: { disabled } });
      announce(t(disabled ? 'user_deactivated' : 'user_reactivated', { email: user.email }));
      await loadUsers();
    });
  }

  async function loadTokens() {
    const { data } = await api('GET', '/v1/tokens');
    fill(tokens, data.items.length ? data.items.map((token) => h('tr', { dataset: { token: token.name, status: token.status } },
      h('td', {}, token.name), h('td', {}, h('code', {}, `${token.prefix}…`)), h('td', {}, t(`role_${token.role}`)),
      h('td', {}, scopeText(token.scope)), h('td', {}, t(`token_${token.status}`)), h('td', {}, when(token.last_used_at)),
      h('td', {}, token.status === 'active' ? h('button', { type: 'button', class: 'revoke',
        onclick: () => revoke(token) }, t('revoke')) : null)))
      : h('tr', {}, h('td', { colspan: 7 }, t('no_tokens'))));
  }

  async function revoke(token) {
    await guarded(async () => {
      await api('DELETE', `/v1/tokens/${token.id}`);
      announce(t('token_revoked', { name: token.name }));
      await loadTokens();
    });
  }

  Promise.all([loadUsers(), loadTokens()]).then(ready, (error) => {
    announce(t('error', { detail: error.message }));
    ready();
  });
  // Leaving the page forgets a secret still shown.
  return () => fill(secret);
}

// A form of labelled controls whose values (trimmed, empty ones left out) go to `submit`; a refusal is shown in it.
function form(name, controls, label, submit) {
  const problem = h('p', { class: 'error', id: `${name}-error`, role: 'alert' });
  const node = h('form', { class: 'card filters', id: `${name}-form`, onsubmit: async (event) => {
    event.preventDefault();
    fill(problem);
    const values = Object.fromEntries(controls.map(([key, control]) => [key, control.value.trim()])
      .filter(([, value]) => value !== ''));
    try {
      await submit(values);
      node.reset();
    } catch (error) {
      fill(problem, t('error', { detail: error.message }));
    }
  } },
  controls.map(([key, control]) => field(`${name}-${key.replace('_', '-')}`, t(key), control)),
  h('button', { type: 'submit', class: 'primary' }, label), problem);
  return node;
}

function roleChoice() {
  return h('select', {}, roles.map((role) => h('option', { value: role }, t(`role_${role}`))));
}

function scopeInput() {
  return h('input', { type: 'text', size: 18, placeholder: 'F1, F2/O7, /O9' });
}

// The scope field holds grants separated by commas; none means every outlet.
function withScope(values) {
  const scope = values.scope ? values.scope.split(',').map((grant) => grant.trim()).filter(Boolean) : undefined;
  return { ...values, scope };
}

function scopeText(scope) {
  return scope?.length ? scope.join(', ') : t('all_outlets');
}
