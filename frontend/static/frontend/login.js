// Log in / create an account. Both end in auth.js with the refresh token in the cookie.
// "Forgot password?" swaps the form for the reset request (password-reset.js).

import * as auth from './auth.js';
import { forgotPasswordForm } from './password-reset.js';
import { field, formError, h } from './ui.js';

// notice: a message to show above the form (e.g. after a password reset);
// forgot: open the reset request at once (a dead reset link's "Request a new link").
export function renderLogin(main, { onDone, notice = null, forgot = false }) {
  const login = loginForm({ onDone, onForgot: () => showForgot() });
  const noticeBox = notice ? h('div', { class: 'notice notice-ok', role: 'status' }, notice) : null;
  const panel = h('div', { class: 'panel auth-panel' }, noticeBox, login.element);

  function showForgot() {
    const forgotView = forgotPasswordForm({ onBack: showLogin, email: login.email() });
    panel.replaceChildren(forgotView.element);
    forgotView.focus();
  }

  function showLogin() {
    panel.replaceChildren(login.element);
    login.setMode('login');
    login.focus();
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
  else login.focus();
}

// The form with its two modes (tabs): log in, or create an account (email, full name).
function loginForm({ onDone, onForgot }) {
  let mode = 'login';
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const inputs = credentialInputs();
  const signupOnly = h(
    'div',
    { class: 'signup-only', hidden: true },
    field('Email', inputs.email),
    field('Full name (optional)', inputs.fullName),
  );
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Log in');
  const tabs = modeTabs(mode, (key) => setMode(key));
  const forgotLink = h(
    'button',
    { type: 'button', class: 'link-button', onclick: onForgot },
    'Forgot password?',
  );

  function setMode(next) {
    mode = next;
    tabs.forEach((t) => t.setAttribute('aria-selected', String(t.id === `tab-${mode}`)));
    signupOnly.hidden = mode !== 'signup';
    inputs.email.required = mode === 'signup';
    inputs.password.autocomplete = mode === 'signup' ? 'new-password' : 'current-password';
    submit.textContent = mode === 'signup' ? 'Create account' : 'Log in';
    errors.hidden = true;
    forgotLink.hidden = mode !== 'login';
  }

  async function onSubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    errors.hidden = true;
    try {
      await signIn(mode, inputs);
      onDone();
    } catch (error) {
      formError(errors, error.body || { detail: error.message });
      submit.disabled = false;
    }
  }

  const element = h(
    'form',
    { class: 'auth-form', 'aria-labelledby': 'auth-title', onsubmit: onSubmit },
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Log in or sign up' }, tabs),
    errors,
    field('Username', inputs.username),
    field('Password', inputs.password),
    signupOnly,
    submit,
    h('div', { class: 'auth-links' }, forgotLink),
  );
  return {
    element,
    setMode,
    focus: () => inputs.username.focus(),
    email: () => inputs.email.value.trim(),
  };
}

function credentialInputs() {
  return {
    username: h('input', { name: 'username', autocomplete: 'username', required: true }),
    password: h('input', {
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
      minlength: 8,
    }),
    email: h('input', { name: 'email', type: 'email', autocomplete: 'email' }),
    fullName: h('input', { name: 'full_name', autocomplete: 'name' }),
  };
}

function modeTabs(mode, onPick) {
  return ['login', 'signup'].map((key) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'tab',
        id: `tab-${key}`,
        'aria-selected': String(key === mode),
        onclick: () => onPick(key),
      },
      key === 'login' ? 'Log in' : 'Create account',
    ),
  );
}

function signIn(mode, { username, password, email, fullName }) {
  if (mode === 'login') return auth.login(username.value.trim(), password.value);
  const fields = {
    username: username.value.trim(),
    email: email.value.trim(),
    password: password.value,
  };
  if (fullName.value.trim()) fields.full_name = fullName.value.trim();
  fields.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return auth.signup(fields);
}
