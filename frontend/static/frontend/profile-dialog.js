// The profile dialog (from the name in the top bar): name, email, time zone and the daily
// digest opt-out (together they decide when the due-today mail arrives), a password change,
// personal access tokens (tokens-section.js) and the calendar feed (calendar-section.js).

import { passwordMismatch, profilePatch, zoneGroups } from './account.js';
import * as api from './api.js';
import { openModal } from './modal.js';
import * as auth from './auth.js';
import { calendarSection } from './calendar-section.js';
import { tokensSection } from './tokens-section.js';
import { field, h, passwordInput, showErrors, toast } from './ui.js';

function browserZones() {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

function zoneSelect(current) {
  const select = h(
    'select',
    { name: 'timezone' },
    zoneGroups(browserZones(), current).map(({ group, zones }) => {
      const options = zones.map((z) => h('option', { value: z.value }, z.label));
      return group ? h('optgroup', { label: group.replaceAll('_', ' ') }, options) : options;
    }),
  );
  select.value = current;
  return select;
}

function profileInputs(me) {
  return {
    full_name: h('input', {
      name: 'full_name',
      autocomplete: 'name',
      maxlength: 150,
      value: me.full_name,
    }),
    email: h('input', {
      name: 'email',
      type: 'email',
      autocomplete: 'email',
      required: true,
      value: me.email,
    }),
    timezone: zoneSelect(me.timezone),
    digest_enabled: h('input', {
      name: 'digest_enabled',
      type: 'checkbox',
      id: 'profile-digest',
      checked: me.digest_enabled,
      'aria-describedby': 'profile-digest-hint',
    }),
  };
}

function digestCheck(digest) {
  return h(
    'div',
    { class: 'check' },
    digest,
    h('label', { for: digest.id }, 'Email me the tasks due today'),
    h(
      'small',
      { class: 'hint', id: 'profile-digest-hint' },
      'Once a day, around 07:00 in your time zone, when something is due.',
    ),
  );
}

function profileForm(me, { onSaved, close }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const inputs = profileInputs(me);
  const { full_name: fullName, email, timezone, digest_enabled: digest } = inputs;
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save profile');
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const useBrowserZone =
    browserZone && browserZone !== me.timezone
      ? h(
          'button',
          { type: 'button', class: 'link-button', onclick: () => (timezone.value = browserZone) },
          `Use this device's zone (${browserZone})`,
        )
      : null;
  let saved = me;

  return h(
    'form',
    {
      class: 'profile-form',
      'aria-labelledby': 'profile-title',
      onsubmit: async (event) => {
        event.preventDefault();
        showErrors(errors, inputs, null);
        const changes = profilePatch(saved, {
          full_name: fullName.value,
          email: email.value,
          timezone: timezone.value,
          digest_enabled: digest.checked,
        });
        if (!Object.keys(changes).length) return close();
        save.disabled = true;
        try {
          saved = await api.patch('/api/auth/me/', changes);
          onSaved(saved);
          toast({ title: 'Profile saved', kind: 'success' });
          close();
        } catch (error) {
          showErrors(errors, inputs, error.body || { detail: error.message });
        } finally {
          save.disabled = false;
        }
      },
    },
    h('h2', { id: 'profile-title' }, 'Your profile'),
    h('p', { class: 'muted profile-who' }, 'Logged in as ', h('strong', {}, me.username)),
    errors,
    h('div', { class: 'row row-top' }, field('Full name', fullName), field('Email', email)),
    field('Time zone', timezone, 'Due dates and the morning digest follow this zone.'),
    useBrowserZone,
    digestCheck(digest),
    h(
      'div',
      { class: 'dialog-actions' },
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', onclick: close }, 'Close'),
      save,
    ),
  );
}

function passwordForm() {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const done = h('div', { class: 'notice notice-ok', role: 'status', hidden: true });
  const old = passwordInput('old_password', 'current-password');
  const fresh = passwordInput('new_password');
  const confirm = passwordInput('confirm');
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Change password');
  const inputs = { old_password: old, new_password: fresh, confirm };

  return h(
    'form',
    {
      class: 'password-form',
      'aria-labelledby': 'password-title',
      onsubmit: async (event) => {
        event.preventDefault();
        done.hidden = true;
        showErrors(errors, inputs, null);
        const mismatch = passwordMismatch(fresh.value, confirm.value);
        if (mismatch) return showErrors(errors, inputs, mismatch);
        submit.disabled = true;
        try {
          const pair = await api.post('/api/auth/password/change/', {
            old_password: old.value,
            new_password: fresh.value,
          });
          // This session goes on with the new pair; every other one has just been ended.
          await auth.adoptPair(pair);
          [old, fresh, confirm].forEach((input) => (input.value = ''));
          done.textContent = 'Password changed. Your other devices have been logged out.';
          done.hidden = false;
        } catch (error) {
          showErrors(errors, inputs, error.body || { detail: error.message });
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h3', { id: 'password-title' }, 'Change password'),
    done,
    errors,
    field('Current password', old),
    h(
      'div',
      { class: 'row row-top' },
      field('New password', fresh),
      field('New password again', confirm),
    ),
    h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), submit),
  );
}

// returnFocus(): the element to focus once the dialog closes (the top bar is re-rendered
// after a save, so the button that opened it may be gone).
export async function openProfileDialog({ onSaved, returnFocus }) {
  const me = await api.get('/api/auth/me/');
  const dialog = h('dialog', { class: 'profile-dialog', 'aria-labelledby': 'profile-title' });
  const close = () => dialog.close();
  dialog.append(
    profileForm(me, { onSaved, close }),
    h('hr'),
    passwordForm(),
    h('hr'),
    tokensSection(),
    h('hr'),
    calendarSection(),
  );
  openModal(dialog, { returnFocus });
  dialog.querySelector('input').focus();
}
