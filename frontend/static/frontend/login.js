// Log in / create an account. Both end in auth.js with the refresh token in the cookie.
// "Forgot password?" swaps the form for the reset request (password-reset.js).

import * as auth from './auth.js';
import { forgotPasswordForm } from './password-reset.js';
import { field, formError, h } from './ui.js';

// notice: a message to show above the form (e.g. after a password reset);
// forgot: open the reset request at once (a dead reset link's "Request a new link").
export function renderLogin(main, { onDone, notice = null, forgot = false }) {
  let mode = 'login';
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    minlength: 8,
  });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email' });
  const fullName = h('input', { name: 'full_name', autocomplete: 'name' });
  const signupOnly = h('div', { class: 'signup-only', hidden: true }, field('Email', email), field('Full name (optional)', fullName));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Log in');
  const tabs = ['login', 'signup'].map((key) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'tab',
        id: `tab-${key}`,
        'aria-selected': String(key === mode),
        onclick: () => setMode(key),
      },
      key === 'login' ? 'Log in' : 'Create account',
    ),
  );

  function setMode(next) {
    mode = next;
    tabs.forEach((t) => t.setAttribute('aria-selected', String(t.id === `tab-${mode}`)));
    signupOnly.hidden = mode !== 'signup';
    email.required = mode === 'signup';
    password.autocomplete = mode === 'signup' ? 'new-password' : 'current-password';
    submit.textContent = mode === 'signup' ? 'Create account' : 'Log in';
    errors.hidden = true;
    forgotLink.hidden = mode !== 'login';
  }

  const forgotLink = h('button', { type: 'button', class: 'link-button', onclick: () => showForgot() }, 'Forgot password?');
  const noticeBox = notice ? h('div', { class: 'notice notice-ok', role: 'status' }, notice) : null;

  const form = h(
    'form',
    {
      class: 'auth-form',
      'aria-labelledby': 'auth-title',
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        errors.hidden = true;
        try {
          if (mode === 'login') await auth.login(username.value.trim(), password.value);
          else {
            const fields = { username: username.value.trim(), email: email.value.trim(), password: password.value };
            if (fullName.value.trim()) fields.full_name = fullName.value.trim();
            fields.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
            await auth.signup(fields);
          }
          onDone();
        } catch (error) {
          formError(errors, error.body || { detail: error.message });
          submit.disabled = false;
        }
      },
    },
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Log in or sign up' }, tabs),
    errors,
    field('Username', username),
    field('Password', password),
    signupOnly,
    submit,
    h('div', { class: 'auth-links' }, forgotLink),
  );
  const panel = h('div', { class: 'panel auth-panel' }, noticeBox, form);

  function showForgot() {
    const forgotView = forgotPasswordForm({ onBack: showLogin, email: email.value.trim() });
    panel.replaceChildren(forgotView.element);
    forgotView.focus();
  }

  function showLogin() {
    panel.replaceChildren(form);
    setMode('login');
    username.focus();
  }

  main.replaceChildren(
    h(
      'section',
      { class: 'auth-page' },
      h(
        'div',
        { class: 'auth-intro' },
        h('h1', { id: 'auth-title' }, 'Realtime Scrum'),
        h('p', {}, 'Plan sprints with your team and watch every card move the moment it moves.'),
      ),
      panel,
    ),
  );
  if (forgot) showForgot();
  else username.focus();
}
