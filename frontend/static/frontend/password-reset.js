// Forgotten password: ask for a link (inside the login panel), then the page the mailed link
// opens (/reset-password/#uid=..&token=..) sets the new password.

import { passwordMismatch } from './account.js';
import { field, h, passwordInput, showErrors } from './ui.js';

const PASSWORD_HINT = 'At least 8 characters; not only digits, not a common password.';

async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, ok: response.ok, data: data || {} };
}

function networkError() {
  return { detail: 'The server did not answer. Check your connection and try again.' };
}

// The "Forgot password?" form, shown in place of the login form. The API answers 202 whether
// or not an account uses the address, and so does this form: it never tells which.
export function forgotPasswordForm({ onBack, email: initial = '' }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const email = h('input', {
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    required: true,
    value: initial,
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-block' },
    'Send reset link',
  );
  const back = () =>
    h('button', { type: 'button', class: 'link-button', onclick: onBack }, 'Back to log in');
  const title = h('h2', { id: 'forgot-title', tabindex: '-1' }, 'Reset your password');
  const panel = h('div', { class: 'forgot' });

  function sent(address) {
    const notice = sentNotice(address);
    panel.replaceChildren(notice, h('div', { class: 'auth-links' }, back()));
    notice.querySelector('h2').focus();
  }

  const form = h(
    'form',
    {
      class: 'auth-form',
      'aria-labelledby': 'forgot-title',
      onsubmit: async (event) => {
        event.preventDefault();
        showErrors(errors, { email }, null);
        submit.disabled = true;
        const address = email.value.trim();
        try {
          const result = await postJson('/api/auth/password/reset/', { email: address });
          if (result.ok) return sent(address);
          if (result.status === 429) {
            showErrors(
              errors,
              { email },
              { detail: 'Too many reset requests for now. Please try again later.' },
            );
          } else showErrors(errors, { email }, result.data);
        } catch {
          showErrors(errors, { email }, networkError());
        }
        submit.disabled = false;
      },
    },
    title,
    h(
      'p',
      { class: 'muted' },
      'Enter the email address of your account and we will mail you a link to choose a new password.',
    ),
    errors,
    field('Email', email),
    submit,
    h('div', { class: 'auth-links' }, back()),
  );
  panel.append(form);
  return { element: panel, focus: () => email.focus() };
}

function sentNotice(address) {
  return h(
    'div',
    { class: 'notice notice-ok', role: 'status' },
    h('h2', { id: 'forgot-title', tabindex: '-1' }, 'Check your email'),
    h(
      'p',
      {},
      'If an account uses ',
      h('strong', {}, address),
      ', a link to choose a new password is on its way.',
    ),
    h(
      'p',
      { class: 'muted' },
      'The link works once. No mail after a few minutes? Check the spam folder or ask again.',
    ),
  );
}

// The page the mail links to. onDone(message): the password is set, back to login.
// onRestart(): the link is dead, ask for a new one.
export function renderResetPassword(main, { uid, token, onDone, onRestart }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const password = passwordInput('new_password');
  const confirm = passwordInput('confirm');
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-block' },
    'Set new password',
  );
  const restart = h(
    'button',
    { type: 'button', class: 'btn btn-block', hidden: true, onclick: onRestart },
    'Request a new link',
  );
  const inputs = { new_password: password, confirm };
  const incomplete = !uid || !token;

  const form = h(
    'form',
    {
      class: 'auth-form',
      'aria-labelledby': 'reset-title',
      onsubmit: async (event) => {
        event.preventDefault();
        showErrors(errors, inputs, null);
        const mismatch = passwordMismatch(password.value, confirm.value);
        if (mismatch) return showErrors(errors, inputs, mismatch);
        submit.disabled = true;
        try {
          const result = await postJson('/api/auth/password/reset/confirm/', {
            uid,
            token,
            new_password: password.value,
          });
          if (result.ok)
            return onDone(result.data.detail || 'Password changed. Log in with the new password.');
          if (showRefusal(errors, inputs, result.data)) {
            restart.hidden = false;
            restart.focus();
          }
        } catch {
          showErrors(errors, inputs, networkError());
        }
        submit.disabled = false;
      },
    },
    h('h2', { id: 'reset-title' }, 'Choose a new password'),
    errors,
    field('New password', password, PASSWORD_HINT),
    field('New password again', confirm),
    submit,
    restart,
  );

  main.replaceChildren(resetPage(form));
  if (incomplete) {
    form.querySelectorAll('input, button[type=submit]').forEach((el) => (el.disabled = true));
    showErrors(errors, inputs, {
      detail: 'This link is incomplete: copy the whole link from the mail, or request a new one.',
    });
    restart.hidden = false;
    restart.focus();
  } else password.focus();
}

// A refused reset: uid/token errors are about the link, not a field (no new password
// revives it). Returns whether the link is dead.
function showRefusal(errors, inputs, data) {
  const { token: badToken, uid: badUid, ...rest } = data;
  const dead = [...[].concat(badToken || []), ...[].concat(badUid || [])];
  showErrors(errors, inputs, dead.length ? { ...rest, detail: dead } : rest);
  return dead.length > 0;
}

function resetPage(form) {
  return h(
    'section',
    { class: 'auth-page' },
    h(
      'div',
      { class: 'auth-intro' },
      h('h1', {}, 'Realtime Scrum'),
      h(
        'p',
        {},
        'Set a new password for your account. Every device logged in to it will be logged out.',
      ),
    ),
    h('div', { class: 'panel auth-panel' }, form),
  );
}
